package io.flowbin.http;

import io.flowbin.error.DataverseException;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.xnio.Options;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSourceChannel;

/**
 * The body of a request on a worker thread, readable as a stream or as a blocking channel. Both read the request
 * channel itself, blocking the worker until bytes arrive: the bytes go from the connection straight into the caller's
 * buffer (large uploads skip the server's small pooled buffers and a copy), and the exchange never enters Undertow's
 * blocking mode, so that it can be ended on its I/O thread (see {@link IoThreadFinish}). The server's "entity too
 * large" failure becomes the route's Dataverse error. Not thread-safe.
 */
final class RequestBody extends InputStream implements ReadableByteChannel {
    private final HttpServerExchange exchange;
    private final Supplier<DataverseException> tooLarge;
    private @Nullable StreamSourceChannel channel;
    private int readTimeoutMillis;
    private boolean closed;

    RequestBody(HttpServerExchange exchange, Supplier<DataverseException> tooLarge) {
        this.exchange = exchange;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        byte[] single = new byte[1];
        int read = read(single, 0, 1);
        return read < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        return length == 0 ? 0 : read(ByteBuffer.wrap(buffer, offset, length));
    }

    /**
     * Reads at least one byte, blocking until it arrives, then whatever more has already arrived and fits; -1 at the
     * end of the body.
     */
    @Override
    public int read(ByteBuffer target) throws IOException {
        if (!target.hasRemaining()) {
            return 0;
        }
        StreamSourceChannel source = channel();
        try {
            int read = Channels.readBlocking(source, target, readTimeoutMillis, TimeUnit.MILLISECONDS);
            if (read == 0) {
                throw new IOException("No part of the request body arrived within " + readTimeoutMillis + " ms");
            }
            if (read < 0) {
                return -1;
            }
            int more;
            while (target.hasRemaining() && (more = source.read(target)) > 0) {
                read += more;
            }
            return read;
        } catch (RequestTooBigException e) {
            throw tooLarge.get();
        }
    }

    private StreamSourceChannel channel() throws IOException {
        if (channel == null) {
            StreamSourceChannel requestChannel = exchange.getRequestChannel();
            if (requestChannel == null) {
                throw new IOException("The request body was already taken");
            }
            channel = requestChannel;
            readTimeoutMillis = readTimeout(requestChannel);
        }
        return channel;
    }

    /** The read timeout the server's own blocking stream would use. */
    private static int readTimeout(StreamSourceChannel channel) {
        try {
            Integer idle = channel.getOption(UndertowOptions.IDLE_TIMEOUT);
            if (idle != null && idle > 0) {
                return idle;
            }
            Integer read = channel.getOption(Options.READ_TIMEOUT);
            if (read != null && read > 0) {
                return read;
            }
        } catch (IOException closed) {
            // the read itself reports a closed connection
        }
        return UndertowOptions.DEFAULT_READ_TIMEOUT;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Closing leaves whatever of the body is unread to the server, which drains it when the exchange ends. */
    @Override
    public void close() {
        closed = true;
    }
}
