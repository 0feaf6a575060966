package io.flowbin.metadata;

import io.flowbin.metadata.MarkdownPage.Block;
import io.flowbin.metadata.MarkdownPage.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one Dataverse table reference page into {@link PageFacts}. Sections are recognised by what their heading
 * says (messages, properties, writable or read-only columns, relationship kinds), not by its exact wording, so both
 * the current and the older page layout are read. Stateless; thread-safe.
 */
final class PageParser {
    private static final Pattern EVENT = Pattern.compile("Event:\\s*(True|False)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TITLE_SUFFIX =
            Pattern.compile("\\s*(\\([^)]*\\)\\s*)?table/entity reference.*$", Pattern.CASE_INSENSITIVE);

    private PageParser() {}

    private enum SectionKind {
        MESSAGES,
        PROPERTIES,
        WRITABLE_COLUMNS,
        READ_ONLY_COLUMNS,
        RELATIONSHIPS,
        MANY_TO_MANY,
        OTHER
    }

    static PageFacts parse(List<String> lines, String source) {
        List<Block> sections = MarkdownPage.blocks(lines, 2);
        Map<String, String> properties = null;
        for (Block section : sections) {
            if (kind(section) == SectionKind.PROPERTIES) {
                Table table = MarkdownPage.firstTable(section.lines(), "Property");
                properties = table == null ? null : table.properties();
                break;
            }
        }
        if (properties == null) {
            throw new IllegalArgumentException(source + ": no table properties section");
        }
        String logicalName = require(properties, "LogicalName", source);
        String primaryId = require(properties, "PrimaryIdAttribute", source);
        List<MessageDefinition> messages = new ArrayList<>();
        List<ColumnDefinition> columns = new ArrayList<>();
        RelationshipParser relationships = new RelationshipParser(logicalName, primaryId, source);
        for (Block section : sections) {
            switch (kind(section)) {
                case MESSAGES -> messages.addAll(messages(section));
                case WRITABLE_COLUMNS, READ_ONLY_COLUMNS -> {
                    boolean writable = kind(section) == SectionKind.WRITABLE_COLUMNS;
                    for (Block block : MarkdownPage.blocks(section.lines(), 3)) {
                        if (block.anchored()) {
                            ColumnDefinition column = ColumnParser.parse(block, writable, source);
                            if (column != null) {
                                columns.add(column);
                            }
                        }
                    }
                }
                case RELATIONSHIPS, MANY_TO_MANY -> {
                    for (Block block : MarkdownPage.blocks(section.lines(), 3)) {
                        if (block.anchored()) {
                            if (kind(section) == SectionKind.MANY_TO_MANY) {
                                relationships.readManyToMany(block);
                            } else {
                                relationships.readOneToMany(block);
                            }
                        }
                    }
                }
                case PROPERTIES, OTHER -> {
                    // read above, or prose
                }
            }
        }
        String displayName = properties.getOrDefault("DisplayName", titleName(sections));
        String entitySetName = require(properties, "EntitySetName", source);
        TableDefinition table = new TableDefinition(
                logicalName,
                require(properties, "SchemaName", source),
                entitySetName,
                // pages of internal tables omit the collection names; the entity set name is the collection name
                properties.getOrDefault("LogicalCollectionName", entitySetName),
                displayName,
                properties.getOrDefault("DisplayCollectionName", displayName),
                primaryId,
                ColumnParser.blankToNull(properties.get("PrimaryNameAttribute")),
                OwnershipType.fromPageName(require(properties, "OwnershipType", source)),
                properties.getOrDefault("TableType", "Standard"),
                columns,
                messages);
        return new PageFacts(table, relationships.oneToMany(), relationships.manyToMany());
    }

    private static SectionKind kind(Block section) {
        String title = section.lowerTitle();
        if (title.contains("many-to-many")) {
            return SectionKind.MANY_TO_MANY;
        }
        if (title.contains("many-to-one") || title.contains("one-to-many")) {
            return SectionKind.RELATIONSHIPS;
        }
        if (title.contains("read-only") && (title.contains("column") || title.contains("attribute"))) {
            return SectionKind.READ_ONLY_COLUMNS;
        }
        if (title.contains("writable") && (title.contains("column") || title.contains("attribute"))) {
            return SectionKind.WRITABLE_COLUMNS;
        }
        if (title.startsWith("message")) {
            return SectionKind.MESSAGES;
        }
        if (title.startsWith("propert")) {
            return SectionKind.PROPERTIES;
        }
        return SectionKind.OTHER;
    }

    private static List<MessageDefinition> messages(Block section) {
        List<MessageDefinition> messages = new ArrayList<>();
        List<Table> tables = MarkdownPage.tables(section.lines());
        if (tables.isEmpty()) {
            return messages;
        }
        for (List<String> row : tables.get(0).rows()) {
            if (row.isEmpty()) {
                continue;
            }
            List<String> parts = MarkdownPage.lineParts(row.get(0));
            if (parts.isEmpty()) {
                continue;
            }
            // pages without an event column say nothing about events; such messages are not taken to be events
            boolean isEvent = false;
            for (String part : parts) {
                Matcher matcher = EVENT.matcher(part);
                if (matcher.find()) {
                    isEvent = matcher.group(1).equalsIgnoreCase("True");
                }
            }
            messages.add(new MessageDefinition(parts.get(0), isEvent));
        }
        return messages;
    }

    /** The display name in the page title, e.g. "Flow Session" in "Flow Session (flowsession) table/entity ...". */
    private static String titleName(List<Block> sections) {
        for (Block section : sections) {
            for (String line : section.lines()) {
                if (line.startsWith("# ")) {
                    return TITLE_SUFFIX.matcher(line.substring(2)).replaceAll("").trim();
                }
            }
        }
        return "";
    }

    private static String require(Map<String, String> properties, String key, String source) {
        String value = properties.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(source + ": table property " + key + " is missing");
        }
        return value;
    }
}
