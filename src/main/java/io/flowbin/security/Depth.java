package io.flowbin.security;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How far a role's privilege reaches ({@code PrivilegeDepth}): Basic (own and shared rows), Local (the business
 * unit), Deep (the business unit and those below) and Global (all). Each includes the ones before it.
 */
public enum Depth {
    BASIC(1, "Basic"),
    LOCAL(2, "Local"),
    DEEP(4, "Deep"),
    GLOBAL(8, "Global");

    private final int mask;
    private final String label;

    Depth(int mask, String label) {
        this.mask = mask;
        this.label = label;
    }

    /** The bit stored in {@code roleprivileges.privilegedepthmask}. */
    public int mask() {
        return mask;
    }

    /** The name of the {@code PrivilegeDepth} enum member. */
    public String label() {
        return label;
    }

    public boolean covers(Depth needed) {
        return compareTo(needed) >= 0;
    }

    /** The deepest depth of a stored mask, or null when it has none. */
    public static @Nullable Depth ofMask(int mask) {
        for (int i = values().length - 1; i >= 0; i--) {
            if ((mask & values()[i].mask) != 0) {
                return values()[i];
            }
        }
        return null;
    }

    /**
     * Parses a {@code PrivilegeDepth} as its member name or its value (0 Basic to 3 Global).
     *
     * @throws IllegalArgumentException when the text is neither
     */
    public static Depth parse(String text) {
        String trimmed = text.trim();
        for (Depth depth : values()) {
            if (depth.label.toLowerCase(Locale.ROOT).equals(trimmed.toLowerCase(Locale.ROOT))
                    || String.valueOf(depth.ordinal()).equals(trimmed)) {
                return depth;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a PrivilegeDepth value");
    }
}
