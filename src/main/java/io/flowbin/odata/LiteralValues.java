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
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        if (text.length() > 10 && !text.endsWith("Z") && text.indexOf('+', 10) < 0 && text.indexOf('-', 10) < 0) {
            return java.time.LocalDateTime.parse(text).atOffset(ZoneOffset.UTC); // no offset: UTC, as stored
        }
        return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static boolean isText(AttributeType type) {
        return type == AttributeType.STRING || type == AttributeType.MEMO || type == AttributeType.ENTITYNAME;
    }
}
