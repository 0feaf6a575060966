package io.flowbin.files;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Content-Range} of one upload chunk: {@code bytes <first>-<last>/<total>}, inclusive. A zero-length chunk
 * is written {@code bytes N-(N-1)/N} (so {@code bytes 0--1/0} for an empty file), as clients send to finish.
 */
public record ContentRange(long first, long last, long total) {
    private static final Pattern FORM = Pattern.compile("bytes\\s+(\\d{1,19})-(-1|\\d{1,19})/(\\d{1,19})");

    public long length() {
        return last - first + 1;
    }

    /** Parses the header; a missing or malformed one, or one whose bytes lie outside the total, is a 400. */
    public static ContentRange parse(@Nullable String header) {
        if (header == null) {
            throw FileErrors.invalid("A chunk must carry a Content-Range header (bytes <first>-<last>/<total>).");
        }
        Matcher matcher = FORM.matcher(header.trim());
        if (!matcher.matches()) {
            throw FileErrors.invalid("The Content-Range '" + header + "' is not of the form bytes"
                    + " <first>-<last>/<total>.");
        }
        long first;
        long last;
        long total;
        try {
            first = Long.parseLong(matcher.group(1));
            last = Long.parseLong(matcher.group(2));
            total = Long.parseLong(matcher.group(3));
        } catch (NumberFormatException tooBig) {
            throw FileErrors.invalid("The Content-Range '" + header + "' holds a number that is too large.");
        }
        if (last < first - 1) {
            throw FileErrors.invalid("The Content-Range '" + header + "' ends before it starts.");
        }
        if (last >= total || first > total) {
            throw FileErrors.invalid("The Content-Range '" + header + "' overruns the file's total of " + total
                    + " bytes.");
        }
        return new ContentRange(first, last, total);
    }
}
