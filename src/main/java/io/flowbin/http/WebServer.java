package io.flowbin.http;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.odata.ODataService;
import io.flowbin.security.CallerResolver;
import io.flowbin.security.TokenVerifier;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The HTTP server: {@code /health} without authentication, the Web API under {@code /api/data/v9.x/}, Dataverse's
 * 404 for anything else. Stops gracefully: new requests are refused while in-flight ones finish.
 */
public final class WebServer implements AutoCloseable {
    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;

    /**
     * @param ready whether the server can serve (its database is reachable), for {@code /health}
     */
    public WebServer(String host, int port, int workerThreads, long maxRequestBytes, TokenVerifier tokens,
            CallerResolver callers, ODataService service, BooleanSupplier ready) {
        WebApiHandler webApi = new WebApiHandler(tokens, callers, service, maxRequestBytes,
                RequestThreads.forRuntime(workerThreads));
        // a client that asks to send its body only when the server is willing (Expect: 100-continue, as curl and
        // .NET do for large uploads) is answered 100 when the body is first read, and not at all when refused first
        HttpHandler routes = new HttpContinueReadHandler(exchange -> route(exchange, webApi, ready));
        graceful = new GracefulShutdownHandler(routes);
        undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setWorkerThreads(workerThreads)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
                // Undertow's own 10 MB default would refuse large bodies with a bare 400 before any handler runs;
                // each handler sets the limit that applies to it instead
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                // clients send function parameters as raw JSON ({"@odata.id":…}) in the query, which Dataverse
                // accepts; Undertow would refuse the braces with a bare 400
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                // the Web API reads the raw request URI and query string and decodes them itself (the OData
                // parser does); Undertow's decoding of every query parameter into a map nobody reads cost a few
                // microseconds a request, most on the long $skiptoken of later pages
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setHandler(graceful)
                .build();
    }

    private static void route(HttpServerExchange exchange, HttpHandler webApi, BooleanSupplier ready)
            throws Exception {
        String path = exchange.getRequestPath(); // as sent: DECODE_URL is off
        if (path.equals("/health")) {
            if (exchange.isInIoThread()) {
                exchange.dispatch(() -> health(exchange, ready));
            } else {
                health(exchange, ready);
            }
        } else if (path.startsWith(WebApiHandler.ROOT_PREFIX)) {
            webApi.handleRequest(exchange);
        } else {
            ErrorBodies.send(exchange, new DataverseException(404, ErrorCodes.RESOURCE_NOT_FOUND,
                    "No resource exists at '" + path + "'; the Web API is under /api/data/v9.2/."));
        }
    }

    private static void health(HttpServerExchange exchange, BooleanSupplier ready) {
        boolean up = ready.getAsBoolean();
        exchange.setStatusCode(up ? 200 : 503);
        exchange.getResponseHeaders().put(ErrorBodies.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(
                (up ? "{\"status\":\"ready\"}" : "{\"status\":\"unavailable\"}").getBytes(StandardCharsets.UTF_8)));
    }

    public void start() {
        undertow.start();
    }

    /** The port the server listens on (useful when it was started on port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Refuses new requests, waits up to the timeout for in-flight ones, then stops. */
    public void stop(long timeoutMillis) {
        graceful.shutdown();
        try {
            graceful.awaitShutdown(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
    }

    @Override
    public void close() {
        stop(10_000);
    }
}
