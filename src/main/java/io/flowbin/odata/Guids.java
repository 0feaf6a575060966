package io.flowbin.odata;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Strict GUID parsing: only the 8-4-4-4-12 hex form, optionally in braces, as Dataverse accepts. */
public final class Guids {
    private Guids() {}

    public static @Nullable UUID parse(String text) {
        String value = text.length() == 38 && text.charAt(0) == '{' && text.charAt(37) == '}'
                ? text.substring(1, 37)
                : text;
        if (value.length() != 36) {
            return null;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return null;
            }
        }
        return UUID.fromString(value);
    }
}
