package io.flowbin.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on one kept-alive connection that sends a body from a direct buffer in large writes, as
 * curl does from memory: an upload client that costs little CPU, so that on a busy machine an upload measures the
 * server rather than the client (Java's HttpClient spends several times more CPU on sending a body). Responses need
 * a Content-Length or no body. Not thread-safe.
 */
final class LeanClient implements AutoCloseable {
    private final URI base;
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024).flip();
    private SocketChannel channel;
    private final Map<String, String> headers = new HashMap<>();

    LeanClient(URI base) throws IOException {
        this.base = base;
        this.channel = connect();
    }

    private SocketChannel connect() throws IOException {
        SocketChannel socket = SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
        socket.socket().setTcpNoDelay(true);
        return socket;
    }

    /** Sends the request and reads the whole response; returns its status. */
    int send(String method, String url, Map<String, String> requestHeaders, ByteBuffer body) throws IOException {
        URI target = URI.create(url);
        StringBuilder head = new StringBuilder(method).append(' ').append(target.getRawPath());
        if (target.getRawQuery() != null) {
            head.append('?').append(target.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(base.getHost()).append(':').append(base.getPort())
                .append("\r\nContent-Length: ").append(body.remaining()).append("\r\n");
        requestHeaders.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        ByteBuffer[] request = {ByteBuffer.wrap(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII)),
            body.duplicate()};
        while (request[1].hasRemaining() || request[0].hasRemaining()) {
            channel.write(request);
        }
        return readResponse();
    }

    /** A header of the last response (name in lower case), or null. */
    String header(String name) {
        return headers.get(name);
    }

    private int readResponse() throws IOException {
        headers.clear();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String line;
        while (!(line = line()).isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
        while (length > 0) {
            if (!input.hasRemaining()) {
                fill();
            }
            int skipped = (int) Math.min(length, input.remaining());
            input.position(input.position() + skipped);
            length -= skipped;
        }
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
            channel.close();
            channel = connect();
        }
        return status;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!input.hasRemaining()) {
                fill();
            }
            byte next = input.get();
            if (next == '\n') {
                return line.toString(StandardCharsets.US_ASCII).strip();
            }
            line.write(next);
        }
    }

    private void fill() throws IOException {
        input.clear();
        int read = channel.read(input);
        input.flip();
        if (read < 0) {
            throw new IOException("The server closed the connection in the middle of a response");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
