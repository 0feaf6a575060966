package io.flowbin.data;

import io.flowbin.metadata.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, puts every foreign key on the index the schema declares for its column. Databases made by the first
 * version before it created the indexes ahead of the foreign keys hold a second, H2-made index per foreign key
 * ({@code <constraint>_INDEX_<n>}), which every insert and update of the table maintains for nothing; dropping and
 * adding the constraint again lets H2 take the declared index, and drops its own. PostgreSQL never makes such indexes:
 * nothing to do there. Immutable and thread-safe.
 */
// Flyway reads the version and the description from the class name, hence its unusual form
final class V2__Foreign_keys_on_declared_indexes extends BaseJavaMigration {
    private final Catalog catalog;

    V2__Foreign_keys_on_declared_indexes(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        Dialect dialect = Dialect.fromJdbcUrl(connection.getMetaData().getURL());
        if (dialect != Dialect.H2) {
            return;
        }
        Set<String> ownIndexes = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT CONSTRAINT_NAME, INDEX_NAME FROM"
                + " INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE CONSTRAINT_TYPE = 'FOREIGN KEY'"
                + " AND TABLE_SCHEMA = CURRENT_SCHEMA");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                String constraint = rows.getString(1);
                if (rows.getString(2).startsWith(constraint + "_INDEX_")) {
                    ownIndexes.add(constraint);
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (SchemaNames.ForeignKey foreignKey : new SchemaNames(catalog).foreignKeys()) {
                if (ownIndexes.contains(foreignKey.name())) {
                    statement.execute("ALTER TABLE " + dialect.quote(foreignKey.table()) + " DROP CONSTRAINT "
                            + dialect.quote(foreignKey.name()));
                    statement.execute(SchemaGenerator.addForeignKey(dialect, foreignKey));
                }
            }
        }
    }
}
