package io.flowbin.metadata;

import io.flowbin.metadata.CascadeConfiguration.CascadeType;
import io.flowbin.metadata.MarkdownPage.Block;
import io.flowbin.metadata.MarkdownPage.Table;
import io.flowbin.metadata.PageFacts.End;
import io.flowbin.metadata.PageFacts.ManyToMany;
import io.flowbin.metadata.PageFacts.OneToMany;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collects what the relationship sections of one page say. Which side the page is on follows from the rows a
 * section gives ({@code ReferencedEntity} on the many side, {@code ReferencingEntity} on the one side), not from the
 * heading. Sections that only point at another page ("See X Table") carry no facts of their own. Not thread-safe:
 * one instance reads one page.
 */
final class RelationshipParser {
    private static final Pattern OTHER_TABLE = Pattern.compile("^\\s*See \\[?([A-Za-z0-9_]+)[\\s\\]]");
    private static final Pattern INTERSECT_ENTITY = Pattern.compile("IntersectEntityName:\\s*([A-Za-z0-9_]+)");

    private final String table;
    private final String primaryIdAttribute;
    private final String source;
    private final List<OneToMany> oneToMany = new ArrayList<>();
    private final List<ManyToMany> manyToMany = new ArrayList<>();

    RelationshipParser(String table, String primaryIdAttribute, String source) {
        this.table = table;
        this.primaryIdAttribute = primaryIdAttribute;
        this.source = source;
    }

    List<OneToMany> oneToMany() {
        return List.copyOf(oneToMany);
    }

    List<ManyToMany> manyToMany() {
        return List.copyOf(manyToMany);
    }

    void readOneToMany(Block block) {
        Table propertyTable = MarkdownPage.firstTable(block.lines(), "Property");
        if (propertyTable == null) {
            return;
        }
        Map<String, String> properties = propertyTable.properties();
        String schemaName = properties.getOrDefault("SchemaName", block.title());
        CascadeConfiguration cascade = cascade(properties.get("CascadeConfiguration"), schemaName);
        if (properties.containsKey("ReferencedEntity")) {
            oneToMany.add(new OneToMany(
                    schemaName,
                    value(properties, "ReferencedEntity"),
                    value(properties, "ReferencedAttribute"),
                    table,
                    value(properties, "ReferencingAttribute"),
                    value(properties, "ReferencingEntityNavigationPropertyName"),
                    value(properties, "ReferencedEntityNavigationPropertyName"),
                    cascade));
        } else if (properties.containsKey("ReferencingEntity")) {
            oneToMany.add(new OneToMany(
                    schemaName,
                    table,
                    // a lookup references the primary key of the table on the one side
                    PageFacts.first(value(properties, "ReferencedAttribute"), primaryIdAttribute),
                    value(properties, "ReferencingEntity"),
                    value(properties, "ReferencingAttribute"),
                    value(properties, "ReferencingEntityNavigationPropertyName"),
                    value(properties, "ReferencedEntityNavigationPropertyName"),
                    cascade));
        }
    }

    void readManyToMany(Block block) {
        List<Map<String, String>> tables = new ArrayList<>();
        for (Table candidate : MarkdownPage.tables(block.lines())) {
            if (!candidate.header().isEmpty() && MarkdownPage.clean(candidate.header().get(0)).equals("Property")) {
                tables.add(candidate.properties());
            }
        }
        String schemaName = block.title();
        String intersectEntity = null;
        for (Map<String, String> properties : tables) {
            schemaName = properties.getOrDefault("SchemaName", schemaName);
            intersectEntity = PageFacts.first(intersectEntity, value(properties, "IntersectEntityName"));
        }
        String otherTable = null;
        for (String line : block.lines()) {
            Matcher intersect = INTERSECT_ENTITY.matcher(MarkdownPage.clean(line));
            if (intersectEntity == null && intersect.find()) {
                intersectEntity = intersect.group(1);
            }
            Matcher other = OTHER_TABLE.matcher(line);
            if (otherTable == null && other.find()) {
                otherTable = other.group(1);
            }
        }
        List<End> explicitEnds = new ArrayList<>();
        for (Map<String, String> properties : tables) {
            String entity = value(properties, "LogicalName");
            if (entity != null) {
                explicitEnds.add(new End(
                        entity, value(properties, "IntersectAttribute"), value(properties, "NavigationPropertyName")));
            }
        }
        if (explicitEnds.size() == 2) {
            manyToMany.add(new ManyToMany(schemaName, intersectEntity, true, explicitEnds));
            return;
        }
        if (otherTable == null) {
            return;
        }
        End own = new End(table, null, null);
        for (Map<String, String> properties : tables) {
            own = own.mergedWith(new End(
                    table, value(properties, "IntersectAttribute"), value(properties, "NavigationPropertyName")));
        }
        List<End> ends = List.of(own, new End(otherTable, null, null));
        manyToMany.add(new ManyToMany(schemaName, intersectEntity, false, ends));
    }

    private @Nullable CascadeConfiguration cascade(@Nullable String cell, String schemaName) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        Map<String, String> parts = MarkdownPage.keyedParts(cell);
        try {
            return new CascadeConfiguration(
                    cascadeType(parts, "Assign"),
                    cascadeType(parts, "Delete"),
                    cascadeType(parts, "Archive"),
                    cascadeType(parts, "Merge"),
                    cascadeType(parts, "Reparent"),
                    cascadeType(parts, "RollupView"),
                    cascadeType(parts, "Share"),
                    cascadeType(parts, "Unshare"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " relationship " + schemaName + ": " + e.getMessage(), e);
        }
    }

    // older pages predate Archive and RollupView; an action a page does not list does not cascade
    private static CascadeType cascadeType(Map<String, String> parts, String action) {
        String value = parts.get(action);
        return value == null || value.isEmpty() ? CascadeType.NO_CASCADE : CascadeType.fromPageName(value);
    }

    private static @Nullable String value(Map<String, String> properties, String key) {
        return ColumnParser.blankToNull(properties.get(key));
    }
}
