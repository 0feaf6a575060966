package io.flowbin.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A real HTTP receiver for webhook tests on a free loopback port: records every request (path, query, headers,
 * body) and answers with the status it is told to, after an optional delay, or drops the connection. Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One received request. */
    public record Received(String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return "";
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean dropConnection;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            received.add(new Received(uri.getPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
            if (dropConnection) {
                return; // no answer: closing the exchange drops the connection
            }
            Duration wait = delay;
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(int newStatus) {
        this.status = newStatus;
        this.dropConnection = false;
    }

    public void delay(Duration newDelay) {
        this.delay = newDelay;
    }

    public void dropConnections(boolean drop) {
        this.dropConnection = drop;
    }

    public List<Received> received(Predicate<Received> filter) {
        List<Received> matching = new ArrayList<>();
        for (Received request : received) {
            if (filter.test(request)) {
                matching.add(request);
            }
        }
        return matching;
    }

    /** Waits until at least {@code count} matching requests arrived, or the timeout; returns them. */
    public List<Received> await(Predicate<Received> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> matching = received(filter);
        while (matching.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            matching = received(filter);
        }
        return matching;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
