package io.flowbin.odata;

import io.flowbin.security.Caller;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Web API request as the protocol layer sees it, free of the web server's types.
 *
 * @param method the HTTP method, upper case
 * @param path the path below the service root, not decoded (e.g. {@code flowsessionbinaries(…)/name})
 * @param query the raw query string, not decoded, or null
 * @param serviceRoot the absolute service root the client used, ending in {@code /} (e.g.
 *     {@code http://localhost:8080/api/data/v9.2/})
 * @param headers all values of a header by name (case-insensitive)
 * @param body the request body
 * @param caller who is calling: the user the request acts as
 * @param impersonation resolves impersonation headers against the real caller, for the requests a batch holds
 */
public record ODataRequest(
        String method,
        String path,
        @Nullable String query,
        String serviceRoot,
        Function<String, List<String>> headers,
        InputStream body,
        Caller caller,
        Impersonation impersonation) {

    public @Nullable String header(String name) {
        List<String> values = headers.apply(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> headerValues(String name) {
        List<String> values = headers.apply(name);
        return values == null ? List.of() : values;
    }
}
