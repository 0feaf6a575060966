package io.flowbin.data;

import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the DDL for a catalog: the row-version sequence, one table per definition, then the foreign keys (after
 * all tables, so that cycles between tables work), then the indexes of {@link IndexPlan}. The output is deterministic
 * for a given catalog and dialect. Stateless and thread-safe.
 *
 * <p>Columns are nullable and unchecked apart from the primary key: required levels, lengths of choice values and
 * ranges are enforced by the server, the database guards keys, references and string lengths. Foreign keys use the
 * default NO ACTION, as cascades follow each relationship's cascade configuration in the server.
 */
final class SchemaGenerator {
    private SchemaGenerator() {}

    static List<String> statements(Catalog catalog, Dialect dialect) {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SEQUENCE " + dialect.quote(SchemaNames.VERSION_SEQUENCE)
                + " START WITH 1 INCREMENT BY 1 NO CYCLE");
        for (TableDefinition table : catalog.tables()) {
            statements.add(createTable(catalog, dialect, table));
        }
        for (SchemaNames.ForeignKey foreignKey : new SchemaNames(catalog).foreignKeys()) {
            statements.add("ALTER TABLE " + dialect.quote(foreignKey.table())
                    + " ADD CONSTRAINT " + dialect.quote(foreignKey.name())
                    + " FOREIGN KEY (" + dialect.quote(foreignKey.column()) + ")"
                    + " REFERENCES " + dialect.quote(foreignKey.referencedTable())
                    + " (" + dialect.quote(foreignKey.referencedColumn()) + ")");
        }
        for (IndexPlan.Index index : IndexPlan.indexes(catalog, dialect)) {
            statements.add("CREATE INDEX " + dialect.quote(index.name()) + " ON " + dialect.quote(index.table())
                    + " (" + String.join(", ", index.terms()) + ")");
        }
        return statements;
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
        sql.append("CONSTRAINT ").append(dialect.quote(SchemaNames.primaryKey(table.logicalName())))
                .append(" PRIMARY KEY (").append(dialect.quote(table.primaryIdAttribute())).append("))");
        return sql.toString();
    }
}
