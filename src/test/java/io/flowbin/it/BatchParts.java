package io.flowbin.it;

import io.flowbin.testing.WebApiClient.Response;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the responses a {@code $batch} response holds, in order and whether or not they sit in a change set, as
 * {@link Response}s, so that a test reads a request of a batch as it reads a request sent alone.
 */
final class BatchParts {
    /** Status line, header lines, blank line, and a one-line body or (for no body) the next delimiter. */
    private static final Pattern PART = Pattern.compile(
            "HTTP/1\\.1 (\\d{3})[^\\r\\n]*\\r\\n((?:[^\\r\\n]+\\r\\n)*)\\r\\n([^\\r\\n]*)");

    private BatchParts() {}

    static List<Response> of(String batchResponse) {
        List<Response> parts = new ArrayList<>();
        Matcher part = PART.matcher(batchResponse);
        while (part.find()) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line : part.group(2).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim(), List.of(line.substring(colon + 1).trim()));
                }
            }
            String body = part.group(3).startsWith("--") ? "" : part.group(3);
            parts.add(new Response(Integer.parseInt(part.group(1)), HttpHeaders.of(headers, (name, value) -> true),
                    body));
        }
        return parts;
    }
}
