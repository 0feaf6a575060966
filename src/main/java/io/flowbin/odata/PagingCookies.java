package io.flowbin.odata;

import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Order;
import io.flowbin.data.query.ResultRow;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
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

    /** URL-encodes as Dataverse does: spaces as {@code %20}, hex digits in lower case. */
    static String encode(String text) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        StringBuilder lower = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            boolean hex = i >= 1 && encoded.charAt(i - 1) == '%' || i >= 2 && encoded.charAt(i - 2) == '%';
            lower.append(hex ? Character.toLowerCase(c) : c);
        }
        return lower.toString();
    }

    /** The keyset cursor in an outer cookie ({@code $skiptoken}) for a query with this total order. */
    static List<@Nullable Object> cursorOfOuter(String outer, List<Order> order) {
        String inner = root(outer).attributes().get("pagingcookie");
        if (inner == null || inner.isEmpty()) {
            throw QueryErrors.invalidPagingCookie("the pagingcookie attribute is missing");
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(URLDecoder.decode(inner, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw QueryErrors.invalidPagingCookie("the pagingcookie attribute is not URL-encoded");
        }
        return cursorOfInner(decoded, order);
    }

    /** The page number an outer cookie names (the page it leads to). */
    static int pageOfOuter(String outer) {
        try {
            return Math.max(1, Integer.parseInt(root(outer).attributes().getOrDefault("pagenumber", "")));
        } catch (NumberFormatException e) {
            throw QueryErrors.invalidPagingCookie("the pagenumber attribute is not a number");
        }
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
