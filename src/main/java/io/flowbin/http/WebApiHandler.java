package io.flowbin.http;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.odata.Impersonation;
import io.flowbin.odata.ODataRequest;
import io.flowbin.odata.ODataResponse;
import io.flowbin.odata.ODataService;
import io.flowbin.security.Caller;
import io.flowbin.security.CallerResolver;
import io.flowbin.security.TokenVerifier;
import io.flowbin.security.VerifiedToken;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Serves {@code /api/data/v9.x/…}: authenticates the bearer token, resolves the caller, hands the request to the
 * OData service on a worker thread, and writes its response or its error. Thread-safe.
 */
final class WebApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WebApiHandler.class);
    static final String ROOT_PREFIX = "/api/data/v9.";
    private static final long ROUTE_LIMIT_MARGIN = 1024 * 1024;
    /** The largest body read before the request is served (JSON payloads of single rows are far smaller). */
    static final int SMALL_BODY_BYTES = 64 * 1024;
    private static final AttachmentKey<byte[]> READ_BODY = AttachmentKey.create(byte[].class);

    private final TokenVerifier tokens;
    private final CallerResolver callers;
    private final ODataService service;
    private final long maxRequestBytes;
    private final @Nullable Executor requestThreads;

    /**
     * @param requestThreads where requests run, or null for the server's worker pool
     */
    WebApiHandler(TokenVerifier tokens, CallerResolver callers, ODataService service, long maxRequestBytes,
            @Nullable Executor requestThreads) {
        this.tokens = tokens;
        this.callers = callers;
        this.service = service;
        this.maxRequestBytes = maxRequestBytes;
        this.requestThreads = requestThreads;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            leaveIoThread(exchange); // JDBC blocks
            return;
        }
        try {
            serve(exchange);
        } catch (DataverseException failure) {
            ErrorBodies.send(exchange, failure);
        } catch (RuntimeException | IOException failure) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), failure);
            ErrorBodies.send(exchange, ErrorBodies.unexpected());
        }
    }

    /**
     * Hands the request to a request thread: a virtual thread for a request on one row ({@link #onOneRow}) with no body
     * or a body of at most {@value #SMALL_BODY_BYTES} bytes, which is read first, here, without blocking; a worker of
     * the server's pool for every other request.
     *
     * <p>Why two kinds: virtual threads are not preempted. A request on one row does bounded work and mostly waits for
     * the database, where a virtual thread is cheapest; a query, a batch or a file transfer may keep its thread busy
     * for long (on the embedded database the query itself runs on it), and on the pool the operating system shares
     * the CPU between it and the short requests. A thread that waits for the rest of a body also polls the socket with
     * a selector XNIO keeps per thread, which a new virtual thread would open anew for every request.
     */
    private void leaveIoThread(HttpServerExchange exchange) {
        if (requestThreads == null || !onOneRow(exchange)) {
            exchange.dispatch(this);
            return;
        }
        long bodyBytes = declaredBodyBytes(exchange);
        if (bodyBytes == 0) {
            exchange.dispatch(requestThreads, this);
        } else if (bodyBytes > 0 && bodyBytes <= SMALL_BODY_BYTES) {
            exchange.getRequestReceiver().receiveFullBytes((received, bytes) -> {
                received.putAttachment(READ_BODY, bytes);
                received.dispatch(requestThreads, this);
            }, (failed, error) -> IoUtils.safeClose(failed.getConnection()));
        } else {
            exchange.dispatch(this);
        }
    }

    /**
     * Whether the request addresses one row: any method on {@code set(key)} with nothing after the key (Retrieve,
     * Update, Upsert, Delete), or a POST to a bare entity set (Create).
     */
    private static boolean onOneRow(HttpServerExchange exchange) {
        return onOneRow(exchange.getRequestMethod().toString(), servicePath(exchange.getRequestURI()));
    }

    static boolean onOneRow(String method, String path) {
        int open = path.indexOf('(');
        if (open < 0) {
            return method.equals("POST") && isName(path, path.length());
        }
        return path.indexOf(')') == path.length() - 1 && isName(path, open) && path.indexOf('/') < 0;
    }

    /** Whether the first {@code length} characters of the path are a name (at least one letter, digit or '_'). */
    private static boolean isName(String path, int length) {
        if (length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The path below the service root ({@code /api/data/v9.x/}), or "" for the root itself. */
    private static String servicePath(String uri) {
        int versionEnd = uri.indexOf('/', ROOT_PREFIX.length());
        return versionEnd < 0 ? "" : uri.substring(versionEnd + 1);
    }

    /** The body's length as the headers declare it: 0 for none, -1 when unknown (chunked) or not a number. */
    private static long declaredBodyBytes(HttpServerExchange exchange) {
        if (exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
            return -1;
        }
        String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        try {
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // refused with Dataverse's error while served
        }
    }

    /** The body: read already (see {@link #leaveIoThread}), or read from the connection as it is consumed. */
    private static InputStream body(HttpServerExchange exchange, Supplier<DataverseException> tooLarge) {
        byte[] read = exchange.getAttachment(READ_BODY);
        return read != null ? new ByteArrayInputStream(read) : new RequestBody(exchange, tooLarge);
    }

    private void serve(HttpServerExchange exchange) throws IOException {
        String uri = exchange.getRequestURI();
        String path = servicePath(uri);
        String root = uri.substring(0, uri.length() - path.length());
        String serviceRoot = exchange.getRequestScheme() + "://" + exchange.getHostAndPort() + root
                + (root.endsWith("/") ? "" : "/");
        // uploads to a File column have the column's limit and error instead of the server-wide ones
        ODataService.BodyLimit route = service.bodyLimit(exchange.getRequestMethod().toString(), path);
        long limit = route == null ? maxRequestBytes : route.maxBytes();
        Supplier<DataverseException> tooLarge = route == null ? WebApiHandler::tooLarge : route.exceeded();
        String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
        if (contentLength != null && parseLength(contentLength) > limit) {
            throw tooLarge.get();
        }
        // set per exchange rather than server-wide, so that an oversized body gets Dataverse's error, not a bare 400;
        // a route with its own limit counts the body itself and refuses its first excess byte while the exchange can
        // still answer (Undertow ends the request when its own limit trips); the edge's limit, a little higher than
        // what the server reads ahead into its buffers, stays as a backstop
        // (a body read before serving was small, and its declared length is checked above)
        if (exchange.getAttachment(READ_BODY) == null) {
            exchange.setMaxEntitySize(route == null ? limit : limit + ROUTE_LIMIT_MARGIN);
        }
        VerifiedToken token = tokens.verifyAuthorizationHeader(exchange.getRequestHeaders().getFirst("Authorization"));
        Impersonation impersonation = (callerObjectId, callerId) -> callers.resolve(token.objectId(), callerObjectId,
                callerId);
        Caller caller = impersonation.callerFor(exchange.getRequestHeaders().getFirst("CallerObjectId"),
                exchange.getRequestHeaders().getFirst("MSCRMCallerID"));
        Function<String, List<String>> headers = name -> {
            HeaderValues values = exchange.getRequestHeaders().get(name);
            return values == null ? List.of() : values;
        };
        String query = exchange.getQueryString();
        ODataRequest request = new ODataRequest(
                exchange.getRequestMethod().toString(),
                path,
                query == null || query.isEmpty() ? null : query,
                serviceRoot,
                headers,
                body(exchange, tooLarge),
                caller,
                impersonation);
        ODataResponse response = service.handle(request);
        exchange.setStatusCode(response.status());
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            exchange.getResponseHeaders().put(HttpString.tryFromString(header.getKey()), header.getValue());
        }
        ODataResponse.BodyWriter body = response.body();
        if (body == null) {
            IoThreadFinish.send(exchange, null);
            return;
        }
        SmallBody small = new SmallBody(exchange);
        try (small) {
            body.writeTo(small);
        }
        if (small.spilled()) {
            exchange.endExchange();
        } else {
            IoThreadFinish.send(exchange, small.bytes());
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, "The Content-Length header is invalid.");
        }
    }

    static DataverseException tooLarge() {
        return new DataverseException(413, ErrorCodes.REQUEST_TOO_LARGE, "The request body is too large.");
    }

    /**
     * Collects a body of up to {@link #LIMIT} bytes in memory, to be sent in one write from the I/O thread; a larger
     * body spills: what was collected and the rest stream to the connection, so memory stays bounded. Flushes from
     * the body writer are ignored (JSON generators flush when they close): a flush would force a chunked write.
     */
    private static final class SmallBody extends OutputStream {
        private static final int LIMIT = 64 * 1024;

        private final HttpServerExchange exchange;
        private byte[] collected = new byte[1024];
        private int size;
        private @Nullable OutputStream spill;

        SmallBody(HttpServerExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void write(int value) throws IOException {
            write(new byte[] {(byte) value}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            OutputStream stream = spill;
            if (stream == null && size + length > LIMIT) {
                exchange.startBlocking();
                stream = exchange.getOutputStream();
                stream.write(collected, 0, size);
                spill = stream;
                collected = new byte[0];
            }
            if (stream != null) {
                stream.write(buffer, offset, length);
                return;
            }
            if (size + length > collected.length) {
                collected = Arrays.copyOf(collected, Math.max(size + length, Math.min(LIMIT, collected.length * 2)));
            }
            System.arraycopy(buffer, offset, collected, size, length);
            size += length;
        }

        @Override
        public void flush() {
            // deliberately nothing: the server flushes when its buffer fills and when the body is closed
        }

        @Override
        public void close() throws IOException {
            OutputStream stream = spill;
            if (stream != null) {
                stream.close();
            }
        }

        boolean spilled() {
            return spill != null;
        }

        ByteBuffer bytes() {
            return ByteBuffer.wrap(collected, 0, size);
        }
    }
}
