package io.flowbin.metadata;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One column of a table, with the facts that drive storage, validation and metadata.
 *
 * @param logicalName the lower-case name used on the wire and in storage
 * @param schemaName the Pascal-case name of the reference page
 * @param type the attribute type
 * @param requiredLevel the required level; only SystemRequired is enforced
 * @param validForCreate whether a client may set it on create
 * @param validForUpdate whether a client may set it on update
 * @param validForRead whether it is returned
 * @param maxLength for String and Memo: the maximum number of characters
 * @param minValue for numbers: the smallest allowed value
 * @param maxValue for numbers: the largest allowed value
 * @param precision for Decimal, Double and Money: digits after the point
 * @param maxSizeInKb for File and Image: the largest file in KB
 * @param targets for lookups: the logical names of the tables it may point at
 * @param format the String, Memo, Integer or DateTime format, when the page gives one
 * @param dateTimeBehavior for DateTime: UserLocal, DateOnly or TimeZoneIndependent
 * @param options for choices and Boolean: the options, in page order
 * @param defaultValue for choices and Boolean: the value taken when a create omits the column
 * @param optionSetName for choices: the global choice name
 */
public record ColumnDefinition(
        String logicalName,
        String schemaName,
        String displayName,
        String description,
        AttributeType type,
        RequiredLevel requiredLevel,
        boolean validForCreate,
        boolean validForUpdate,
        boolean validForRead,
        @Nullable Integer maxLength,
        @Nullable BigDecimal minValue,
        @Nullable BigDecimal maxValue,
        @Nullable Integer precision,
        @Nullable Integer maxSizeInKb,
        List<String> targets,
        @Nullable String format,
        @Nullable String dateTimeBehavior,
        List<ChoiceOption> options,
        @Nullable Integer defaultValue,
        @Nullable String optionSetName) {

    public ColumnDefinition {
        targets = List.copyOf(targets);
        options = List.copyOf(options);
    }

    /** The option with this value, or null. */
    public @Nullable ChoiceOption option(int value) {
        for (ChoiceOption option : options) {
            if (option.value() == value) {
                return option;
            }
        }
        return null;
    }
}
