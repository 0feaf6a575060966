package io.flowbin.messages;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** The per-column rules of the metadata that every write obeys: lengths, ranges and choice values. */
final class ColumnRules {
    private ColumnRules() {}

    static void check(TableDefinition table, ColumnDefinition column, @Nullable Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof String text && column.maxLength() != null
                && text.codePointCount(0, text.length()) > column.maxLength()) {
            throw new DataverseException(
                    400,
                    ErrorCodes.STRING_LENGTH_TOO_LONG,
                    "A validation error occurred.  The length of the '" + column.logicalName() + "' attribute of the '"
                            + table.logicalName() + "' entity exceeded the maximum allowed length of '"
                            + column.maxLength() + "'.");
        }
        if (value instanceof Number number && isRanged(column.type())) {
            BigDecimal decimal = number instanceof BigDecimal big ? big : new BigDecimal(number.toString());
            boolean tooSmall = column.minValue() != null && decimal.compareTo(column.minValue()) < 0;
            boolean tooLarge = column.maxValue() != null && decimal.compareTo(column.maxValue()) > 0;
            if (tooSmall || tooLarge) {
                throw new DataverseException(
                        400,
                        ErrorCodes.INVALID_ARGUMENT,
                        "A validation error occurred.  The value " + decimal.toPlainString() + " of the '"
                                + column.logicalName() + "' attribute of the '" + table.logicalName()
                                + "' entity is outside the valid range. Accepted range: "
                                + plain(column.minValue()) + " to " + plain(column.maxValue()) + ".");
            }
        }
        if (value instanceof Integer choice && column.type() == AttributeType.PICKLIST && column.option(choice) == null) {
            throw ErrorCodes.invalidArgument("A validation error occurred.  The value " + choice + " of the '"
                    + column.logicalName() + "' attribute of the '" + table.logicalName()
                    + "' entity is not a valid option.");
        }
    }

    private static boolean isRanged(AttributeType type) {
        return type == AttributeType.INTEGER || type == AttributeType.BIGINT || type == AttributeType.DECIMAL
                || type == AttributeType.DOUBLE || type == AttributeType.MONEY;
    }

    private static String plain(@Nullable BigDecimal value) {
        return value == null ? "unbounded" : value.toPlainString();
    }
}
