package io.flowbin.data;

import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the DDL for a catalog: the row-version sequence, one table per definition and one intersect table per
 * many-to-many relationship, the foreign keys (after all tables, so that cycles between tables work), and the
 * indexes of {@link IndexPlan} and those of the intersect tables. The output is deterministic for a given catalog and
 * dialect. Stateless and thread-safe.
 *
 * <p>Columns are nullable and unchecked apart from the primary key: required levels, lengths of choice values and
 * ranges are enforced by the server, the database guards keys, references and string lengths. Foreign keys use the
 * default NO ACTION, as cascades follow each relationship's cascade configuration in the server.
 */
final class SchemaGenerator {
    private SchemaGenerator() {}

    /** The statements in the order that fingerprints the first schema version (see {@link V1__Tables_from_definitions}). */
    static List<String> statements(Catalog catalog, Dialect dialect) {
        List<String> statements = new ArrayList<>(tables(catalog, dialect));
        statements.addAll(foreignKeys(catalog, dialect));
        statements.addAll(indexes(catalog, dialect));
        return statements;
    }

    /**
     * The same statements in the order they run: the indexes before the foreign keys, because H2 gives a foreign key
     * without an index on its column one of its own, which would double the index work of every insert.
     */
    static List<String> inCreationOrder(Catalog catalog, Dialect dialect) {
        List<String> statements = new ArrayList<>(tables(catalog, dialect));
        statements.addAll(indexes(catalog, dialect));
        statements.addAll(foreignKeys(catalog, dialect));
        return statements;
    }

    private static List<String> tables(Catalog catalog, Dialect dialect) {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SEQUENCE " + dialect.quote(SchemaNames.VERSION_SEQUENCE)
                + " START WITH 1 INCREMENT BY 1 NO CYCLE");
        for (TableDefinition table : catalog.tables()) {
            statements.add(createTable(catalog, dialect, table));
        }
        for (SchemaNames.IntersectTable table : new SchemaNames(catalog).intersectTables()) {
            statements.add(createIntersectTable(dialect, table));
        }
        return statements;
    }

    private static List<String> foreignKeys(Catalog catalog, Dialect dialect) {
        List<String> statements = new ArrayList<>();
        for (SchemaNames.ForeignKey foreignKey : new SchemaNames(catalog).foreignKeys()) {
            statements.add(addForeignKey(dialect, foreignKey));
        }
        return statements;
    }

    static String addForeignKey(Dialect dialect, SchemaNames.ForeignKey foreignKey) {
        return "ALTER TABLE " + dialect.quote(foreignKey.table())
                + " ADD CONSTRAINT " + dialect.quote(foreignKey.name())
                + " FOREIGN KEY (" + dialect.quote(foreignKey.column()) + ")"
                + " REFERENCES " + dialect.quote(foreignKey.referencedTable())
                + " (" + dialect.quote(foreignKey.referencedColumn()) + ")";
    }

    private static List<String> indexes(Catalog catalog, Dialect dialect) {
        List<String> statements = new ArrayList<>();
        for (IndexPlan.Index index : IndexPlan.indexes(catalog, dialect)) {
            statements.add("CREATE INDEX " + dialect.quote(index.name()) + " ON " + dialect.quote(index.table())
                    + " (" + String.join(", ", index.terms()) + ")");
        }
        for (SchemaNames.IntersectTable table : new SchemaNames(catalog).intersectTables()) {
            // the unique constraint's index serves lookups by the first column; this one those by the second
            String index = SchemaNames.index(table.name(), table.secondColumn());
            statements.add("CREATE INDEX " + dialect.quote(index) + " ON " + dialect.quote(table.name())
                    + " (" + dialect.quote(table.secondColumn()) + ")");
        }
        return statements;
    }

    private static String createIntersectTable(Dialect dialect, SchemaNames.IntersectTable table) {
        return "CREATE TABLE " + dialect.quote(table.name()) + " ("
                + dialect.quote(table.keyColumn()) + " UUID, "
                + dialect.quote(table.firstColumn()) + " UUID NOT NULL, "
                + dialect.quote(table.secondColumn()) + " UUID NOT NULL, "
                + dialect.quote(RecordStore.VERSION) + " BIGINT, "
                + "CONSTRAINT " + dialect.quote(SchemaNames.primaryKey(table.name())) + " PRIMARY KEY ("
                + dialect.quote(table.keyColumn()) + "), "
                + "CONSTRAINT " + dialect.quote(SchemaNames.uniquePair(table.name())) + " UNIQUE ("
                + dialect.quote(table.firstColumn()) + ", " + dialect.quote(table.secondColumn()) + "))";
    }

    private static String createTable(Catalog catalog, Dialect dialect, TableDefinition table) {
        List<ColumnDefinition> columns = catalog.storedColumns(table);
        if (columns.stream().noneMatch(column -> column.logicalName().equals(table.primaryIdAttribute()))) {
            throw new IllegalArgumentException("Table '" + table.logicalName() + "' does not store its primary key '"
                    + table.primaryIdAttribute() + "'");
        }
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(dialect.quote(table.logicalName())).append(" (");
        for (ColumnDefinition column : columns) {
            sql.append(dialect.quote(column.logicalName())).append(' ').append(dialect.columnType(column)).append(", ");
        }
        if (table.column(RecordStore.VERSION) == null) {
            // the store stamps every row with a version (etags, concurrency), also where the page lists none
            sql.append(dialect.quote(RecordStore.VERSION)).append(" BIGINT, ");
        }
        sql.append("CONSTRAINT ").append(dialect.quote(SchemaNames.primaryKey(table.logicalName())))
                .append(" PRIMARY KEY (").append(dialect.quote(table.primaryIdAttribute())).append("))");
        return sql.toString();
    }
}
