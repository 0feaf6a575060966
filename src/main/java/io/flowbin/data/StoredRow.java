package io.flowbin.data;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row as read from storage.
 *
 * @param values column values keyed by logical name (null for an empty column)
 * @param lookupNames for lookups whose names were asked for: the referenced row's primary name, keyed by lookup column
 */
public record StoredRow(Map<String, @Nullable Object> values, Map<String, String> lookupNames) {

    public @Nullable Object value(String column) {
        return values.get(column);
    }

    public long version() {
        Object version = values.get("versionnumber");
        return version instanceof Long number ? number : -1L;
    }
}
