package io.flowbin.bench;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.util.Methods;
import java.io.InputStream;
import java.io.OutputStream;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import java.nio.file.Path;

/**
 * The files of one folder served as static resources by Undertow's own resource handler on the server's HTTP stack:
 * the ceiling a file download can reach on this machine. A PATCH is read to its end and discarded (answering 204):
 * the ceiling an upload by a given client can reach, whatever the server does with the bytes. Arguments: port,
 * folder. Runs until stopped.
 */
final class StaticFileServer {
    private StaticFileServer() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: StaticFileServer <port> <folder>");
        }
        Undertow server = Undertow.builder()
                .addHttpListener(Integer.parseInt(args[0]), "127.0.0.1")
                // as the server does (WebServer): Undertow's default limit refuses a large body
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                .setHandler(sinkOr(new ResourceHandler(new PathResourceManager(Path.of(args[1])))))
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "static-stop"));
        System.out.println("static file server ready on 127.0.0.1:" + args[0] + " serving " + args[1]);
    }

    /** PATCH requests are read to their end and discarded; everything else goes to the resource handler. */
    private static HttpHandler sinkOr(HttpHandler resources) {
        return exchange -> {
            if (!exchange.getRequestMethod().equals(Methods.PATCH)) {
                resources.handleRequest(exchange);
                return;
            }
            if (exchange.isInIoThread()) {
                exchange.dispatch(sinkOr(resources));
                return;
            }
            exchange.startBlocking();
            try (InputStream body = exchange.getInputStream()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            exchange.setStatusCode(204);
            exchange.endExchange();
        };
    }
}
