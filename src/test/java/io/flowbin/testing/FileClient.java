package io.flowbin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A plain HTTP client for file transfers: raw bytes up and down, with the headers Dataverse clients send. */
public final class FileClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String serviceRoot;
    private final String token;

    public FileClient(String serviceRoot, String token) {
        this.serviceRoot = serviceRoot;
        this.token = token;
    }

    /** A response with its body as bytes. */
    public record Response(int status, HttpHeaders headers, byte[] body) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + text(), e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    public String serviceRoot() {
        return serviceRoot;
    }

    /** Sends bytes (or none); {@code headers} are name, value pairs; an absolute URL is used as it is. */
    public Response send(String method, String path, byte @Nullable [] body, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return send(method, path, publisher, headers);
    }

    public Response send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        try {
            return toResponse(HTTP.send(request(method, path, body, headers), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest request(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
                        : serviceRoot + path))
                .timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .header("Authorization", "Bearer " + token)
                .method(method, body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    public static HttpClient http() {
        return HTTP;
    }

    private static Response toResponse(HttpResponse<byte[]> response) {
        return new Response(response.statusCode(), response.headers(), response.body());
    }

    public Response upload(String path, byte[] bytes, String fileName) {
        return send("PATCH", path, bytes, "Content-Type", "application/octet-stream", "x-ms-file-name", fileName);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, (byte[]) null, headers);
    }

    public Response post(String path, String json) {
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }
}
