package io.flowbin.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An upload over a bare socket with {@code Transfer-Encoding: chunked}, so the server cannot know the size in
 * advance, that stops sending as soon as the server answers (a server that refuses a body early closes the
 * connection, which a regular client reports as a failure instead of the answer).
 */
final class RawUpload {
    private RawUpload() {}

    /** Streams {@code size} zero bytes to the path; returns the response's status line, headers and body. */
    static String chunkedBody(String baseUrl, String path, String token, String fileName, long size) {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/octet-stream\r\n"
                    + "x-ms-file-name: " + fileName + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            // read while writing: the server's answer must be taken before its close resets the connection
            Thread reader = Thread.ofPlatform().start(() -> {
                byte[] buffer = new byte[8192];
                try {
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        synchronized (response) {
                            response.write(buffer, 0, read);
                        }
                    }
                } catch (IOException reset) {
                    // a reset after the answer loses nothing already read
                }
            });
            byte[] chunk = new byte[64 * 1024];
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (long sent = 0; sent < size; sent += chunk.length) {
                    out.write(header);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedByServer) {
                // the server answered and closed the connection
            }
            try {
                reader.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (response) {
                return response.toString(StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Sends the headers with {@code Expect: 100-continue} and waits up to 5 s for the interim answer before sending
     * the body; returns everything the server answered.
     */
    static String expectingContinue(String baseUrl, String path, String token, String fileName, byte[] body) {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/octet-stream\r\n"
                    + "x-ms-file-name: " + fileName + "\r\nContent-Length: " + body.length
                    + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int read = in.read(buffer); // the interim answer, before any byte of the body
                if (read > 0) {
                    response.write(buffer, 0, read);
                }
            } catch (java.net.SocketTimeoutException noInterimAnswer) {
                return "no answer to Expect: 100-continue within 5 s";
            }
            out.write(body);
            out.flush();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                response.write(buffer, 0, read);
            }
            return response.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
