package io.flowbin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A plain HTTP client for the Web API, sending what Dataverse clients send. Thread-safe. */
public final class WebApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-f-]{36})\\)$");

    private final String serviceRoot;
    private final @Nullable String token;

    public WebApiClient(String serviceRoot, @Nullable String token) {
        this.serviceRoot = serviceRoot;
        this.token = token;
    }

    public WebApiClient withToken(@Nullable String otherToken) {
        return new WebApiClient(serviceRoot, otherToken);
    }

    /** A response with its body as text. */
    public record Response(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The Dataverse error code of an error response. */
        public String errorCode() {
            return json().path("error").path("code").asText();
        }

        public String errorMessage() {
            return json().path("error").path("message").asText();
        }
    }

    /** Creates a row and returns its id from {@code OData-EntityId}; anything but Dataverse's 204 fails the test. */
    public String create(String entitySet, String body) {
        Response response = post(entitySet, body);
        String entityId = response.header("OData-EntityId").orElse("");
        Matcher id = ENTITY_ID.matcher(entityId);
        if (response.status() != 204 || !id.find()) {
            throw new AssertionError("Create in " + entitySet + " answered " + response.status() + " "
                    + response.body() + " with OData-EntityId '" + entityId + "'");
        }
        return id.group(1);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Response post(String path, @Nullable String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Response patch(String path, @Nullable String body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Response put(String path, @Nullable String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** Sends a request; {@code headers} are name, value pairs. A path starting with "/" is relative to the host. */
    public Response send(String method, String path, @Nullable String body, String... headers) {
        URI uri = URI.create(path.startsWith("http") ? path
                : path.startsWith("/") ? serviceRoot.substring(0, serviceRoot.indexOf("/api/")) + path
                : serviceRoot + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json; charset=utf-8");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
