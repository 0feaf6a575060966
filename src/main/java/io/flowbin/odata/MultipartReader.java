package io.flowbin.odata;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code multipart/mixed} body (RFC 2046) as clients send it in a {@code $batch}: parts separated by
 * {@code --boundary} lines, the last one followed by {@code --boundary--}, lines ending in CRLF or LF alone, an
 * optional preamble and epilogue. Reads the stream line by line with a bounded line length; a part's content is
 * kept as bytes (the request body limit bounds it). Not thread-safe: one reader per body.
 */
final class MultipartReader {
    /** Longest header or request line; request URLs in a batch may be up to 64 KB. */
    static final int MAX_LINE_BYTES = 70_000;

    /** One part: its MIME headers (names in any case) and its content, without the line break before the delimiter. */
    record Part(Map<String, String> headers, byte[] content) {
        @Nullable String header(String name) {
            return headers.get(name);
        }
    }

    private final InputStream in;
    private final String delimiter;
    private final String closeDelimiter;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = "--" + boundary;
        this.closeDelimiter = delimiter + "--";
    }

    /** The boundary parameter of a {@code multipart/mixed} content type, or null when there is none. */
    static @Nullable String boundaryOf(@Nullable String contentType) {
        if (contentType == null || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = trimmed.substring("boundary=".length()).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() || value.length() > 70 ? null : value;
            }
        }
        return null;
    }

    /**
     * All parts, in order.
     *
     * @throws DataverseException 400 when the first boundary or the closing one is missing, or a line is too long
     */
    List<Part> parts() {
        String line = readLine();
        while (line != null && !isDelimiter(line)) {
            line = readLine(); // the preamble
        }
        if (line == null) {
            throw malformed("The body does not contain the boundary '" + delimiter.substring(2) + "'.");
        }
        List<Part> parts = new ArrayList<>();
        boolean closed = isClose(line);
        while (!closed) {
            Map<String, String> headers = readHeaders();
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            while (true) {
                byte[] raw = readRawLine();
                if (raw == null) {
                    throw malformed("The body ends before the closing boundary '" + closeDelimiter + "'.");
                }
                String text = textOf(raw);
                if (isDelimiter(text)) {
                    closed = isClose(text);
                    break;
                }
                content.write(raw, 0, raw.length);
            }
            parts.add(new Part(headers, trimFinalBreak(content.toByteArray())));
        }
        return parts;
    }

    /** The header lines at the start of this content, up to the blank line that ends them. */
    static Map<String, String> headersOf(InputStream content) {
        return new MultipartReader(content, "headers").readHeaders();
    }

    /** Reads header lines up to the blank line that ends them (or the end of the part). */
    private Map<String, String> readHeaders() {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line = readLine();
        while (line != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("The header line '" + abbreviate(line) + "' has no name.");
            }
            headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            line = readLine();
        }
        return headers;
    }

    private boolean isDelimiter(String line) {
        String trimmed = stripTrailingWhitespace(line);
        return trimmed.equals(delimiter) || trimmed.equals(closeDelimiter);
    }

    private boolean isClose(String line) {
        return stripTrailingWhitespace(line).equals(closeDelimiter);
    }

    private @Nullable String readLine() {
        byte[] raw = readRawLine();
        if (raw == null) {
            return null;
        }
        return new String(raw, 0, raw.length - lineBreakLength(raw), StandardCharsets.UTF_8);
    }

    private static String textOf(byte[] raw) {
        return new String(raw, 0, raw.length - lineBreakLength(raw), StandardCharsets.UTF_8);
    }

    /** The next line with its line break, or null at the end of the body. */
    private byte @Nullable [] readRawLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        try {
            int next;
            while ((next = in.read()) >= 0) {
                line.write(next);
                if (next == '\n') {
                    break;
                }
                if (line.size() > MAX_LINE_BYTES) {
                    throw malformed("A line of the batch is longer than " + MAX_LINE_BYTES + " bytes.");
                }
            }
        } catch (IOException e) {
            throw malformed("The batch body could not be read.");
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static int lineBreakLength(byte[] raw) {
        int length = raw.length;
        if (length > 0 && raw[length - 1] == '\n') {
            return length > 1 && raw[length - 2] == '\r' ? 2 : 1;
        }
        return 0;
    }

    /** Drops the line break that ends the content: it belongs to the delimiter that follows. */
    private static byte[] trimFinalBreak(byte[] content) {
        int end = content.length;
        if (end > 0 && content[end - 1] == '\n') {
            end--;
            if (end > 0 && content[end - 1] == '\r') {
                end--;
            }
        }
        return java.util.Arrays.copyOf(content, end);
    }

    private static String stripTrailingWhitespace(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }

    static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    static DataverseException malformed(String detail) {
        return new DataverseException(400, ErrorCodes.INVALID_ARGUMENT, "The batch request is malformed: " + detail);
    }
}
