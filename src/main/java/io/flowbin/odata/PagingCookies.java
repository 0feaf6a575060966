package io.flowbin.odata;

import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Order;
import io.flowbin.data.query.ResultRow;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Dataverse's paging cookies. The inner cookie {@code <cookie page="1"><createdon last="…" first="…" />
 * <flowsessionbinaryid last="{…}" first="{…}" /></cookie>} holds, per sort key, the values of the first and last row
 * of a page; the outer one, {@code <cookie pagenumber="2" pagingcookie="…" istracking="False" />}, carries it twice
 * URL-encoded. The OData {@code $skiptoken} is the outer cookie; FetchXML's {@code paging-cookie} is the inner one.
 * The last values are the keyset cursor of the next page. Stateless.
 *
 * <p>Values are written so that they survive the clients' handling: GUIDs upper case in braces, time stamps to the
 * nanosecond in UTC, and in strings the characters {@code % & < > " '} percent-encoded (a client puts the decoded
 * cookie back into an XML attribute escaping only {@code < > " '}).
 */
final class PagingCookies {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private PagingCookies() {}

    /** The outer cookie for the page after {@code page}, whose first and last rows are given. */
    static String outer(int page, List<Order> order, ResultRow first, ResultRow last) {
        return "<cookie pagenumber=\"" + (page + 1) + "\" pagingcookie=\""
                + encode(encode(inner(page, order, first, last))) + "\" istracking=\"False\" />";
    }

    /** The inner cookie of a page. */
    static String inner(int page, List<Order> order, ResultRow first, ResultRow last) {
        StringBuilder xml = new StringBuilder("<cookie page=\"").append(page).append("\">");
        for (Order key : order) {
            String label = key.column().label();
            xml.append('<').append(label);
            attribute(xml, "last", last.row().value(label));
            attribute(xml, "first", first.row().value(label));
            xml.append(" />");
        }
        return xml.append("</cookie>").toString();
    }

    private static void attribute(StringBuilder xml, String name, @Nullable Object value) {
        if (value == null) {
            xml.append(' ').append(name).append("null=\"1\"");
        } else {
            xml.append(' ').append(name).append("=\"").append(format(value)).append('"');
        }
    }

    private static String format(Object value) {
        return switch (value) {
            case UUID id -> "{" + id.toString().toUpperCase(Locale.ROOT) + "}";
            case OffsetDateTime time -> TIMESTAMP.format(time.withOffsetSameInstant(ZoneOffset.UTC));
            case String text -> escape(text);
            default -> value.toString();
        };
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '%', '&', '<', '>', '"', '\'' -> escaped.append('%')
                        .append(String.format(Locale.ROOT, "%02X", (int) c));
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String unescape(String text) {
        StringBuilder plain = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                plain.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    /**
     * URL-encodes as Dataverse does: what {@link java.net.URLEncoder} leaves alone stays, spaces become {@code %20},
     * every other UTF-8 byte {@code %xx} in lower-case hex. One pass: a cookie is encoded for every page's next link.
     */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '*' || c == '_') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return encoded.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** What an outer cookie ({@code $skiptoken}) says: the page it leads to and the keyset cursor after which it starts. */
    record Outer(int page, List<@Nullable Object> cursor) {}

    /** Reads an outer cookie ({@code $skiptoken}) of a query with this total order, parsing it once. */
    static Outer outerCookie(String outer, List<Order> order) {
        Map<String, String> attributes = root(outer).attributes();
        String inner = attributes.get("pagingcookie");
        if (inner == null || inner.isEmpty()) {
            throw QueryErrors.invalidPagingCookie("the pagingcookie attribute is missing");
        }
        String decoded;
        try {
            decoded = decodeTwice(inner);
        } catch (IllegalArgumentException e) {
            throw QueryErrors.invalidPagingCookie("the pagingcookie attribute is not URL-encoded");
        }
        int page;
        try {
            page = Math.max(1, Integer.parseInt(attributes.getOrDefault("pagenumber", "")));
        } catch (NumberFormatException e) {
            throw QueryErrors.invalidPagingCookie("the pagenumber attribute is not a number");
        }
        return new Outer(page, cursorOfInner(decoded, order));
    }

    /**
     * {@code URLDecoder.decode} applied twice (as the inner cookie was encoded twice), in one pass for what cookies
     * hold: {@code %25} followed by two hex digits is one byte of the inner text, {@code %} with two other hex
     * digits a byte encoded once, {@code +} a space. Anything else (a {@code %25} whose escape was itself encoded)
     * takes the two decodings.
     *
     * @throws IllegalArgumentException for a malformed escape, as {@code URLDecoder} does
     */
    static String decodeTwice(String text) {
        byte[] bytes = new byte[text.length()];
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes[length++] = ' ';
            } else if (c == '%') {
                int once = hexByte(text, i + 1);
                if (once == '%') {
                    int twice = hexByte(text, i + 3);
                    if (twice < 0) {
                        return URLDecoder.decode(URLDecoder.decode(text, StandardCharsets.UTF_8),
                                StandardCharsets.UTF_8);
                    }
                    bytes[length++] = (byte) twice;
                    i += 4;
                } else if (once < 0) {
                    throw new IllegalArgumentException("a malformed escape at " + i);
                } else {
                    // decoded once, the byte is decoded again: only a plus sign changes
                    bytes[length++] = (byte) (once == '+' ? ' ' : once);
                    i += 2;
                }
            } else if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                return URLDecoder.decode(URLDecoder.decode(text, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** The byte that the two hex digits at {@code at} spell, or -1 when there are no two hex digits there. */
    private static int hexByte(String text, int at) {
        if (at + 1 >= text.length()) {
            return -1;
        }
        int high = Character.digit(text.charAt(at), 16);
        int low = Character.digit(text.charAt(at + 1), 16);
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }

    /** The keyset cursor in an inner cookie (FetchXML's {@code paging-cookie}) for a query with this order. */
    static List<@Nullable Object> cursorOfInner(String inner, List<Order> order) {
        List<SafeXml.Tag> tags = tags(inner);
        List<SafeXml.Tag> keys = new ArrayList<>();
        for (SafeXml.Tag tag : tags) {
            if (tag.depth() == 1) {
                keys.add(tag);
            } else if (tag.depth() > 1) {
                throw QueryErrors.invalidPagingCookie("its sort keys have child elements");
            }
        }
        if (keys.size() != order.size()) {
            throw QueryErrors.invalidPagingCookie("it has " + keys.size() + " sort keys, the query has "
                    + order.size());
        }
        List<@Nullable Object> cursor = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            ColumnRef column = order.get(i).column();
            SafeXml.Tag key = keys.get(i);
            if (!key.name().equals(column.label())) {
                throw QueryErrors.invalidPagingCookie("sort key " + (i + 1) + " is '" + key.name()
                        + "', the query sorts by '" + column.label() + "'");
            }
            if ("1".equals(key.attributes().get("lastnull"))) {
                cursor.add(null);
                continue;
            }
            String text = key.attributes().get("last");
            if (text == null) {
                throw QueryErrors.invalidPagingCookie("sort key '" + key.name() + "' has no last value");
            }
            try {
                cursor.add(LiteralValues.isText(column.column().type()) ? unescape(text)
                        : LiteralValues.parse(column.column(), text));
            } catch (IllegalArgumentException e) {
                throw QueryErrors.invalidPagingCookie("the last value of '" + key.name() + "' is not a "
                        + column.column().type().pageName());
            }
        }
        return cursor;
    }

    private static SafeXml.Tag root(String xml) {
        return tags(xml).get(0);
    }

    /** The elements of a cookie, whose root must be {@code cookie}. */
    private static List<SafeXml.Tag> tags(String xml) {
        List<SafeXml.Tag> tags;
        try {
            tags = SafeXml.tags(xml);
        } catch (IllegalArgumentException e) {
            throw QueryErrors.invalidPagingCookie("it is not well-formed XML (" + e.getMessage() + ")");
        }
        if (tags.isEmpty() || !tags.get(0).name().equals("cookie")) {
            throw QueryErrors.invalidPagingCookie("its root element is not 'cookie'");
        }
        return tags;
    }
}
