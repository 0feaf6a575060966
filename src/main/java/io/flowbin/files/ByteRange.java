package io.flowbin.files;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The part of a file a download asks for with {@code Range}: {@code bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n}; a trailing {@code /total}, which older documentation showed, is tolerated.
 *
 * @param offset the first byte
 * @param length how many bytes, 0 for a range that starts at the end of the file
 */
public record ByteRange(long offset, long length) {
    private static final Pattern FORM = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})(?:/\\d+)?");

    /**
     * The range the header asks for in a file of {@code size} bytes, or null for the whole file (no header, or one
     * with several ranges, which are served whole as HTTP allows).
     *
     * @param allowEnd whether a range that starts exactly at the end of the file is an empty range (as the JSON
     *     download form answers it) rather than unsatisfiable
     * @throws DataverseException 416 when the range lies beyond the file, 400 when it is malformed
     */
    public static @Nullable ByteRange parse(@Nullable String header, long size, boolean allowEnd) {
        if (header == null || header.isBlank() || header.contains(",")) {
            return null;
        }
        Matcher matcher = FORM.matcher(header.replace(" ", ""));
        if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            throw FileErrors.invalid("The Range '" + header + "' is not of the form bytes=<first>-<last>.");
        }
        try {
            if (matcher.group(1).isEmpty()) {
                long suffix = Long.parseLong(matcher.group(2));
                long length = Math.min(suffix, size);
                return new ByteRange(size - length, length);
            }
            long first = Long.parseLong(matcher.group(1));
            long last = matcher.group(2).isEmpty() ? size - 1 : Long.parseLong(matcher.group(2));
            if (allowEnd && first == size) {
                return new ByteRange(size, 0);
            }
            if (first >= size || last < first) {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(first, Math.min(last, size - 1) - first + 1);
        } catch (NumberFormatException tooBig) {
            throw unsatisfiable(header, size);
        }
    }

    private static DataverseException unsatisfiable(String header, long size) {
        return new DataverseException(416, ErrorCodes.INVALID_ARGUMENT,
                "The Range '" + header + "' lies beyond the file's " + size + " bytes.");
    }

    /** The {@code Content-Range} header of the response for this range of a file of {@code size} bytes. */
    public String contentRange(long size) {
        return length == 0 ? "bytes */" + size : "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
    }
}
