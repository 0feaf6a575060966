package io.flowbin.http;

import io.undertow.io.AsyncSenderImpl;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Ends an exchange that a worker thread has answered by handing its last write to the connection's I/O thread.
 *
 * <p>Why: when a worker thread completes an exchange, Undertow re-arms reading of the connection from that thread,
 * and a client that sends its next request at once makes the I/O thread spin until the worker has finished that
 * step; on a machine with few cores the worker may be waiting for the very core that spins. Completed on the I/O
 * thread, the step runs without that race, and the response goes out in one write with its Content-Length.
 */
final class IoThreadFinish {

    private IoThreadFinish() {}

    /**
     * Sends the body (or none) and ends the exchange on its I/O thread once the current handler returns. Must be
     * called from inside the exchange's handler, with the status and headers set and nothing written yet.
     */
    static void send(HttpServerExchange exchange, @Nullable ByteBuffer body) {
        exchange.dispatch(exchange.getIoThread(), () -> {
            if (body == null) {
                exchange.endExchange();
            } else {
                new AsyncSenderImpl(exchange).send(body);
            }
        });
    }
}
