package io.flowbin.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Posts execution contexts to webhook endpoints as Dataverse does: JSON body, the {@code x-ms-dynamics-*} headers,
 * WebhookKey / HttpHeader / HttpQueryString authentication, a timeout, one more attempt on 502, 503 and 504 (and on
 * a connection failure), no redirects, and the 256 KB payload limit. Thread-safe; closing it stops its threads.
 */
final class Webhooks implements AutoCloseable {
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    private static final Pattern SETTING = Pattern.compile(
            "<setting\\s+name\\s*=\\s*\"([^\"]*)\"\\s+value\\s*=\\s*\"([^\"]*)\"\\s*/?>");

    private final ExecutorService executor;
    // made on the first delivery: building an HTTP client costs a noticeable part of start-up, and many servers
    // never call a webhook
    private @Nullable HttpClient client;
    private final Duration timeout;
    private final String organizationDomain;

    Webhooks(Duration timeout, int threads, String organizationDomain) {
        this.timeout = timeout;
        this.organizationDomain = organizationDomain;
        // bounded: the client's own work (connection setup, body writing) never grows without limit
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), Thread.ofPlatform().daemon().name("flowbin-webhook-", 0).factory());
    }

    private synchronized HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            made = HttpClient.newBuilder()
                    .executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(timeout)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            client = made;
        }
        return made;
    }

    /** Posts the context; returns normally on a 2xx answer. */
    void post(Step.Endpoint endpoint, RemoteContextJson.Envelope envelope) {
        String body = envelope.body();
        boolean exceeded = body.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES;
        if (exceeded) {
            body = envelope.trimmedBody();
        }
        HttpRequest request = request(endpoint, envelope, body, exceeded);
        DeliveryException failure = attempt(endpoint, request);
        if (failure != null && failure.transientFailure()) {
            failure = attempt(endpoint, request);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private @org.jspecify.annotations.Nullable DeliveryException attempt(Step.Endpoint endpoint, HttpRequest request) {
        try {
            HttpResponse<Void> response = client().send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return null;
            }
            boolean retriable = status == 502 || status == 503 || status == 504;
            return new DeliveryException("The webhook " + endpoint.name() + " answered HTTP " + status + ".",
                    retriable, null);
        } catch (HttpTimeoutException e) {
            return new DeliveryException("The webhook " + endpoint.name() + " did not answer within "
                    + timeout.toSeconds() + " seconds.", false, e);
        } catch (IOException e) {
            return new DeliveryException("The webhook " + endpoint.name() + " could not be reached: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryException("Interrupted while calling the webhook " + endpoint.name() + ".", true, e);
        }
    }

    private HttpRequest request(Step.Endpoint endpoint, RemoteContextJson.Envelope envelope, String body,
            boolean exceeded) {
        String url = java.util.Objects.requireNonNullElse(endpoint.url(), "");
        Map<String, String> headers = new LinkedHashMap<>();
        String authValue = endpoint.authValue();
        if (authValue != null) {
            switch (endpoint.authType()) {
                case 4 -> url = withQuery(url, Map.of("code", authValue.strip()));
                case 5 -> headers.putAll(pairs(authValue));
                case 6 -> url = withQuery(url, pairs(authValue));
                default -> { }
            }
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("x-ms-dynamics-organization", organizationDomain)
                .header("x-ms-dynamics-entity-name", envelope.entityName())
                .header("x-ms-dynamics-request-name", envelope.messageName())
                .header("x-ms-correlation-request-id", envelope.correlationId().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (exceeded) {
            builder.header("x-ms-dynamics-msg-size-exceeded", "true");
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    /** HttpHeader / HttpQueryString pairs: the {@code <settings>} XML of the registration tools, or a JSON object. */
    static Map<String, String> pairs(String authValue) {
        Map<String, String> pairs = new LinkedHashMap<>();
        String text = authValue.strip();
        if (text.startsWith("{")) {
            try {
                RemoteContextJson.MAPPER.readTree(text).properties()
                        .forEach(entry -> pairs.put(entry.getKey(), entry.getValue().asText()));
            } catch (IOException e) {
                throw new IllegalArgumentException("The authvalue is not a JSON object of names and values", e);
            }
            return pairs;
        }
        Matcher setting = SETTING.matcher(text);
        while (setting.find()) {
            pairs.put(unescape(setting.group(1)), unescape(setting.group(2)));
        }
        return pairs;
    }

    private static String unescape(String xml) {
        return xml.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private static String withQuery(String url, Map<String, String> parameters) {
        StringBuilder result = new StringBuilder(url);
        char separator = url.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            result.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return result.toString();
    }

    @Override
    public void close() {
        HttpClient made;
        synchronized (this) {
            made = client;
        }
        if (made != null) {
            made.shutdownNow();
        }
        executor.shutdownNow();
    }
}
