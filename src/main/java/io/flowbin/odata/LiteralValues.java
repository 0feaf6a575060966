package io.flowbin.odata;

import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.ColumnDefinition;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Converts query text (an OData literal without its quotes, a FetchXML value, a paging-cookie value) to the Java type
 * a column stores. Stateless.
 */
final class LiteralValues {
    private LiteralValues() {}

    /**
     * The value of this text for the column.
     *
     * @throws IllegalArgumentException when the text is not a value of the column's type
     */
    static Object parse(ColumnDefinition column, String text) {
        String trimmed = text.trim();
        try {
            return switch (column.type()) {
                case STRING, MEMO, ENTITYNAME, VIRTUAL -> text;
                case INTEGER, PICKLIST, STATE, STATUS -> Integer.valueOf(trimmed);
                case BIGINT -> Long.valueOf(trimmed);
                case DECIMAL, MONEY -> new BigDecimal(trimmed);
                case DOUBLE -> Double.valueOf(trimmed);
                case BOOLEAN, MANAGEDPROPERTY -> parseBoolean(trimmed);
                case DATETIME -> parseDateTime(trimmed);
                case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER, FILE, IMAGE -> {
                    UUID id = Guids.parse(trimmed);
                    if (id == null) {
                        throw new IllegalArgumentException("not a GUID");
                    }
                    yield id;
                }
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The same, or null when the text is not a value of the column's type. */
    static @Nullable Object tryParse(ColumnDefinition column, String text) {
        try {
            return parse(column, text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("not a Boolean");
        };
    }

    /** A date and time with offset, or a date alone (midnight UTC). */
    static OffsetDateTime parseDateTime(String text) {
        OffsetDateTime plain = plainUtc(text);
        if (plain != null) {
            return plain;
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        if (text.length() > 10 && !text.endsWith("Z") && text.indexOf('+', 10) < 0 && text.indexOf('-', 10) < 0) {
            return java.time.LocalDateTime.parse(text).atOffset(ZoneOffset.UTC); // no offset: UTC, as stored
        }
        return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ssZ}, the form the server itself writes (paging cookies carry it back on every next page),
     * read without a formatter, which costs several times more; null for any other form.
     */
    private static @Nullable OffsetDateTime plainUtc(String text) {
        if (text.length() != 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, 0, ZoneOffset.UTC);
        } catch (java.time.DateTimeException outOfRange) {
            return null; // the formatter reports it
        }
    }

    /** The decimal number in text[from, to), or -1 when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static boolean isText(AttributeType type) {
        return type == AttributeType.STRING || type == AttributeType.MEMO || type == AttributeType.ENTITYNAME;
    }
}
