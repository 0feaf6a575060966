package io.flowbin.odata;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reading the parts of a request URL that Olingo does not parse for us: percent-decoding, the query's parameters and
 * its parameter aliases ({@code @p1=...}). Stateless.
 */
final class QueryStrings {

    private QueryStrings() {}

    /**
     * Percent-decodes URL text without form encoding: a literal plus stays a plus, as in URL paths and OData literals,
     * and a stray '%' is taken literally.
     */
    static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    /** The query's parameters, decoded; the first of a repeated name wins. */
    static Map<String, String> parameters(@Nullable String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.putIfAbsent(decode(name), decode(value));
        }
        return parameters;
    }

    /** The query's parameter aliases, by name with the {@code @}. */
    static Map<String, String> aliases(@Nullable String query) {
        Map<String, String> aliases = parameters(query);
        aliases.keySet().removeIf(name -> !name.startsWith("@"));
        return aliases;
    }
}
