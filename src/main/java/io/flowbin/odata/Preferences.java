package io.flowbin.odata;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Prefer} header values Dataverse honours: {@code return=representation}, {@code
 * odata.include-annotations="…"} (a comma list with {@code *} wildcards) and {@code odata.maxpagesize}. Values may be
 * comma-combined or sent in several headers. Immutable.
 */
public record Preferences(boolean returnRepresentation, List<String> annotationPatterns, @Nullable String annotationsText,
        @Nullable Integer maxPageSize) {

    public static final Preferences NONE = new Preferences(false, List.of(), null, null);

    public static Preferences parse(@Nullable Iterable<String> headers) {
        if (headers == null) {
            return NONE;
        }
        boolean representation = false;
        List<String> patterns = new ArrayList<>();
        String annotationsText = null;
        Integer maxPageSize = null;
        for (String header : headers) {
            for (String item : splitOutsideQuotes(header)) {
                String preference = item.trim();
                String lower = preference.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("return=representation")) {
                    representation = true;
                } else if (lower.startsWith("odata.include-annotations=")) {
                    annotationsText = preference.substring(preference.indexOf('=') + 1).trim();
                    String unquoted = annotationsText.replace("\"", "");
                    for (String pattern : unquoted.split(",")) {
                        if (!pattern.isBlank()) {
                            patterns.add(pattern.trim());
                        }
                    }
                } else if (lower.startsWith("odata.maxpagesize=")) {
                    try {
                        maxPageSize = Integer.parseInt(preference.substring(preference.indexOf('=') + 1).trim());
                    } catch (NumberFormatException e) {
                        maxPageSize = null; // an unreadable preference is ignored, as HTTP preferences are
                    }
                }
            }
        }
        return new Preferences(representation, List.copyOf(patterns), annotationsText, maxPageSize);
    }

    /** Whether the client asked for this annotation term, e.g. {@code OData.Community.Display.V1.FormattedValue}. */
    public boolean wantsAnnotation(String term) {
        for (String pattern : annotationPatterns) {
            if (pattern.equals("*") || pattern.equals(term)
                    || (pattern.endsWith(".*") && term.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    public boolean wantsAnyAnnotation() {
        return !annotationPatterns.isEmpty();
    }

    private static List<String> splitOutsideQuotes(String header) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
