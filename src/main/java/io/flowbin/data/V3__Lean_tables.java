package io.flowbin.data;

import io.flowbin.metadata.Catalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Takes from the tables declared lean ({@link IndexPlan#leanTables()}) their foreign keys and the derived indexes
 * they do not keep. Such a table is written on the request path of other operations (the system jobs of
 * asynchronous steps), where every index and every referenced-row check is paid for by the caller; the server
 * writes its references itself. Immutable and thread-safe.
 */
// Flyway reads the version and the description from the class name, hence its unusual form
final class V3__Lean_tables extends BaseJavaMigration {
    private final Catalog catalog;

    V3__Lean_tables(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        Dialect dialect = Dialect.fromJdbcUrl(connection.getMetaData().getURL());
        Set<String> lean = new HashSet<>();
        for (IndexPlan.LeanTable table : IndexPlan.leanTables()) {
            lean.add(table.table());
        }
        try (Statement statement = connection.createStatement()) {
            // the foreign keys first: on H2 a foreign key holds the index on its column
            for (SchemaNames.ForeignKey foreignKey : new SchemaNames(catalog).foreignKeys()) {
                if (lean.contains(foreignKey.table())) {
                    statement.execute("ALTER TABLE " + dialect.quote(foreignKey.table()) + " DROP CONSTRAINT "
                            + dialect.quote(foreignKey.name()));
                }
            }
            for (IndexPlan.Index index : IndexPlan.droppedFromLeanTables(catalog, dialect)) {
                statement.execute("DROP INDEX " + dialect.quote(index.name()));
            }
        }
    }
}
