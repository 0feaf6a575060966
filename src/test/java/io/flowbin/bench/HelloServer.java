package io.flowbin.bench;

import io.flowbin.http.RequestThreads;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.util.concurrent.Executor;

/**
 * A bare handler on the server's HTTP stack, handled as the server handles a request: dispatched from the I/O thread
 * to where the server does its blocking JDBC work (a virtual thread, at most {@code worker threads} at once, on Java 24
 * or newer; otherwise a bounded worker pool: {@link RequestThreads}), answered there, and the answer handed back to
 * the I/O thread to be written and the exchange ended. The ceiling any route of the server can reach on this machine.
 * Arguments: port [worker threads, default 32]. Runs until the process is stopped.
 */
final class HelloServer {

    private static final String BODY = "{\"value\":\"hello\"}";

    private HelloServer() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: HelloServer <port> [worker threads]");
        }
        int port = Integer.parseInt(args[0]);
        int workerThreads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        HttpHandler answer = exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; odata.metadata=minimal");
            exchange.dispatch(exchange.getIoThread(), () -> exchange.getResponseSender().send(BODY));
        };
        Executor requestThreads = RequestThreads.forRuntime(workerThreads);
        HttpHandler hello = requestThreads == null ? exchange -> exchange.dispatch(answer)
                : exchange -> exchange.dispatch(requestThreads, answer);
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setWorkerThreads(workerThreads)
                .setHandler(hello)
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "hello-stop"));
        System.out.println("hello server ready on 127.0.0.1:" + port + " with " + workerThreads + " worker threads");
    }
}
