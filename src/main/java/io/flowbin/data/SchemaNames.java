package io.flowbin.data;

import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
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
 * and Customer columns point at several tables and are checked by the application instead.
 */
public final class SchemaNames {
    /** The sequence every row version ({@code versionnumber}) is taken from. */
    public static final String VERSION_SEQUENCE = "flowbin_version";

    private static final int HASH_LENGTH = 8;

    private final Map<String, ForeignKey> foreignKeys = new LinkedHashMap<>();

    /** A foreign key from a lookup column to the primary key of the table it points at. */
    public record ForeignKey(
            String name, String table, String column, String referencedTable, String referencedColumn) {}

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
