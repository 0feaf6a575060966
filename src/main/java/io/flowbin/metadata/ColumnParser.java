package io.flowbin.metadata;

import io.flowbin.metadata.MarkdownPage.Block;
import io.flowbin.metadata.MarkdownPage.Table;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one column block of a reference page: its property table, its choice options and its default. Handles both
 * the current layout (bold and code marks, {@code DefaultFormValue} rows, {@code Value|Details} option tables) and the
 * older one (plain values, {@code Value|Label|Description} option tables, {@code **DefaultValue**: False} lines).
 * Stateless; thread-safe.
 */
final class ColumnParser {
    private static final Pattern DEFAULT_LINE =
            Pattern.compile("^\\s*\\*\\*DefaultValue\\*\\*\\s*:\\s*(\\S*)\\s*$", Pattern.CASE_INSENSITIVE);

    private ColumnParser() {}

    /** The column the block describes, or null when the block has no property table with a logical name. */
    static @Nullable ColumnDefinition parse(Block block, boolean writableSection, String source) {
        Table propertyTable = MarkdownPage.firstTable(block.lines(), "Property");
        if (propertyTable == null) {
            return null;
        }
        Map<String, String> properties = propertyTable.properties();
        String logicalName = properties.get("LogicalName");
        if (logicalName == null || logicalName.isEmpty()) {
            return null;
        }
        String where = source + " column " + logicalName;
        AttributeType type = AttributeType.fromPageName(require(properties, "Type", where));
        List<ChoiceOption> options = options(block, properties, type);
        Integer defaultValue = defaultValue(block, properties, type, options, where);
        boolean validForCreate = writableSection && !"False".equalsIgnoreCase(properties.get("IsValidForCreate"));
        boolean validForUpdate = writableSection && !"False".equalsIgnoreCase(properties.get("IsValidForUpdate"));
        return new ColumnDefinition(
                logicalName,
                block.title(),
                properties.getOrDefault("DisplayName", ""),
                properties.getOrDefault("Description", ""),
                type,
                RequiredLevel.fromPageName(properties.getOrDefault("RequiredLevel", "None")),
                validForCreate,
                validForUpdate,
                !"False".equalsIgnoreCase(properties.get("IsValidForRead")),
                integer(properties, "MaxLength", where),
                decimal(properties, "MinValue", where),
                decimal(properties, "MaxValue", where),
                integer(properties, "Precision", where),
                integer(properties, "MaxSizeInKB", where),
                targets(properties.get("Targets")),
                blankToNull(properties.get("Format")),
                blankToNull(properties.get("DateTimeBehavior")),
                options,
                defaultValue,
                blankToNull(properties.get("GlobalChoiceName")));
    }

    private static List<ChoiceOption> options(Block block, Map<String, String> properties, AttributeType type) {
        List<ChoiceOption> options = new ArrayList<>();
        for (Table table : MarkdownPage.tables(block.lines())) {
            if (table.header().isEmpty() || !MarkdownPage.clean(table.header().get(0)).equalsIgnoreCase("Value")) {
                continue;
            }
            boolean detailed = table.header().size() > 1
                    && MarkdownPage.clean(table.header().get(1)).equalsIgnoreCase("Details");
            for (List<String> row : table.rows()) {
                if (row.size() < 2 || MarkdownPage.clean(row.get(0)).isEmpty()) {
                    continue;
                }
                int value = Integer.parseInt(MarkdownPage.clean(row.get(0)));
                options.add(detailed ? detailedOption(value, row.get(1)) : plainOption(value, row.get(1)));
            }
        }
        // the current layout states Boolean labels as rows of the property table instead of an option table
        if (options.isEmpty() && type == AttributeType.BOOLEAN) {
            String trueLabel = properties.get("True Label");
            String falseLabel = properties.get("False Label");
            if (trueLabel != null) {
                options.add(plainOption(1, trueLabel));
            }
            if (falseLabel != null) {
                options.add(plainOption(0, falseLabel));
            }
        }
        return options;
    }

    private static ChoiceOption plainOption(int value, String label) {
        return new ChoiceOption(value, MarkdownPage.clean(label), null, null, null);
    }

    private static ChoiceOption detailedOption(int value, String details) {
        Map<String, String> parts = MarkdownPage.keyedParts(details);
        return new ChoiceOption(
                value,
                parts.getOrDefault("Label", ""),
                optionalInteger(parts.get("State")),
                optionalInteger(parts.get("DefaultStatus")),
                blankToNull(parts.get("InvariantName")));
    }

    private static @Nullable Integer defaultValue(
            Block block, Map<String, String> properties, AttributeType type, List<ChoiceOption> options, String where) {
        String text = properties.get("DefaultValue");
        if (text == null || text.isEmpty()) {
            text = properties.get("DefaultFormValue");
        }
        if (text == null || text.isEmpty()) {
            text = defaultLine(block);
        }
        if (text == null || text.isEmpty()) {
            return null;
        }
        Integer value;
        if (text.equalsIgnoreCase("True")) {
            value = 1;
        } else if (text.equalsIgnoreCase("False")) {
            value = 0;
        } else {
            try {
                value = Integer.valueOf(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": default value '" + text + "' is not a number", e);
            }
        }
        // Dataverse writes -1 for "no default"; any value that is not an option is not a usable default
        if ((type.isChoice() || type == AttributeType.BOOLEAN) && !options.isEmpty()
                && options.stream().noneMatch(option -> option.value() == value)) {
            return null;
        }
        return value;
    }

    private static @Nullable String defaultLine(Block block) {
        for (String line : block.lines()) {
            Matcher matcher = DEFAULT_LINE.matcher(line);
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static List<String> targets(@Nullable String text) {
        List<String> targets = new ArrayList<>();
        if (text != null) {
            for (String target : text.split(",")) {
                if (!target.isBlank()) {
                    targets.add(target.trim());
                }
            }
        }
        return targets;
    }

    private static String require(Map<String, String> properties, String key, String where) {
        String value = properties.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(where + ": no " + key);
        }
        return value;
    }

    private static @Nullable Integer integer(Map<String, String> properties, String key, String where) {
        String text = properties.get(key);
        try {
            return optionalInteger(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + key + " '" + text + "' is not an integer", e);
        }
    }

    private static @Nullable BigDecimal decimal(Map<String, String> properties, String key, String where) {
        String text = properties.get(key);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + key + " '" + text + "' is not a number", e);
        }
    }

    private static @Nullable Integer optionalInteger(@Nullable String text) {
        return text == null || text.isBlank() ? null : Integer.valueOf(text.trim());
    }

    static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
