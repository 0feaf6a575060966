package io.flowbin.data;

import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.RelationshipDefinition;
import io.flowbin.metadata.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The names of the schema objects generated from a catalog: tables and columns carry their logical names, and
 * constraint and index names are derived deterministically from them. Immutable and thread-safe.
 *
 * <p>A foreign key guards every Lookup column that has exactly one target and whose target is a loaded table; Owner
 * and Customer columns point at several tables and are checked by the application instead. Each many-to-many
 * relationship between loaded tables has an intersect table named after its {@code IntersectEntityName}, holding one
 * row per associated pair, both columns guarded by foreign keys.
 */
public final class SchemaNames {
    /** The sequence every row version ({@code versionnumber}) is taken from. */
    public static final String VERSION_SEQUENCE = "flowbin_version";

    private static final int HASH_LENGTH = 8;

    private final Map<String, ForeignKey> foreignKeys = new LinkedHashMap<>();
    private final Map<String, IntersectTable> intersectTables = new LinkedHashMap<>();

    /** A foreign key from a lookup column to the primary key of the table it points at. */
    public record ForeignKey(
            String name, String table, String column, String referencedTable, String referencedColumn) {}

    /**
     * The intersect table of a many-to-many relationship: its own key column, then one column per end.
     *
     * @param relationship the relationship's schema name
     */
    public record IntersectTable(String name, String relationship, String keyColumn, String firstColumn,
            String firstTable, String secondColumn, String secondTable) {}

    public SchemaNames(Catalog catalog) {
        for (TableDefinition table : catalog.tables()) {
            for (ColumnDefinition column : catalog.storedColumns(table)) {
                if (column.type() != AttributeType.LOOKUP || column.targets().size() != 1) {
                    continue;
                }
                TableDefinition target = catalog.table(column.targets().get(0));
                if (target == null) {
                    continue;
                }
                String name = foreignKey(table.logicalName(), column.logicalName());
                foreignKeys.put(name, new ForeignKey(
                        name, table.logicalName(), column.logicalName(), target.logicalName(),
                        target.primaryIdAttribute()));
            }
        }
        for (RelationshipDefinition relationship : catalog.model().relationships()) {
            addIntersectTable(catalog, relationship);
        }
    }

    private void addIntersectTable(Catalog catalog, RelationshipDefinition relationship) {
        String name = relationship.intersectEntity();
        TableDefinition first = catalog.table(relationship.referencedEntity());
        TableDefinition second = catalog.table(relationship.referencingEntity());
        if (relationship.kind() != RelationshipDefinition.Kind.MANY_TO_MANY || name == null || first == null
                || second == null || catalog.table(name) != null) {
            return;
        }
        if (relationship.referencedAttribute().equals(relationship.referencingAttribute())) {
            throw new IllegalArgumentException("The many-to-many relationship '" + relationship.schemaName()
                    + "' names the same column '" + relationship.referencedAttribute() + "' for both ends");
        }
        IntersectTable table = new IntersectTable(name, relationship.schemaName(), name + "id",
                relationship.referencedAttribute(), first.logicalName(), relationship.referencingAttribute(),
                second.logicalName());
        intersectTables.put(relationship.schemaName(), table);
        for (String[] end : new String[][] {
                {table.firstColumn(), first.logicalName(), first.primaryIdAttribute()},
                {table.secondColumn(), second.logicalName(), second.primaryIdAttribute()}}) {
            String keyName = foreignKey(name, end[0]);
            foreignKeys.put(keyName, new ForeignKey(keyName, name, end[0], end[1], end[2]));
        }
    }

    /** The intersect tables of the many-to-many relationships between loaded tables, in relationship order. */
    public List<IntersectTable> intersectTables() {
        return List.copyOf(intersectTables.values());
    }

    /** The intersect table of the many-to-many relationship with this schema name, or null. */
    public @Nullable IntersectTable intersectTable(String relationship) {
        return intersectTables.get(relationship);
    }

    /** The name of the unique constraint on the pair of columns of an intersect table. */
    public static String uniquePair(String table) {
        return bounded("uq_" + table);
    }

    /** Every foreign key of the schema, table by table in catalog order, columns in page order. */
    public List<ForeignKey> foreignKeys() {
        return List.copyOf(foreignKeys.values());
    }

    /** The foreign key with this constraint name, as {@link SqlFailure#constraintName()} reports it; or null. */
    public @Nullable ForeignKey columnOfForeignKey(String constraintName) {
        return foreignKeys.get(constraintName);
    }

    /** The name of a table's primary key constraint. */
    public static String primaryKey(String table) {
        return bounded("pk_" + table);
    }

    /** The name of the foreign key constraint on a lookup column. */
    public static String foreignKey(String table, String column) {
        return bounded("fk_" + table + "_" + column);
    }

    /** The name of the index on a reference column. */
    public static String index(String table, String column) {
        return bounded("ix_" + table + "_" + column);
    }

    /** Names longer than an identifier may be keep a prefix and end in a short hash of the whole name. */
    private static String bounded(String name) {
        if (name.length() <= Dialect.MAX_IDENTIFIER_LENGTH) {
            return name;
        }
        String prefix = name.substring(0, Dialect.MAX_IDENTIFIER_LENGTH - HASH_LENGTH - 1);
        return prefix + "_" + sha256Hex(name).substring(0, HASH_LENGTH);
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            // every Java platform must provide SHA-256
            throw new IllegalStateException(impossible);
        }
    }

    static List<ColumnDefinition> indexedColumns(Catalog catalog, TableDefinition table) {
        List<ColumnDefinition> indexed = new ArrayList<>();
        for (ColumnDefinition column : catalog.storedColumns(table)) {
            if (column.type().isReference() && !column.logicalName().equals(table.primaryIdAttribute())) {
                indexed.add(column);
            }
        }
        return indexed;
    }
}
