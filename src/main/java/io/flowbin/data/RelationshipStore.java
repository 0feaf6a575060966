package io.flowbin.data;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of relationships: set-based statements over {@link RowSet}s for cascades (is any row there, delete them,
 * change their columns, list their keys) and the rows of intersect tables for many-to-many associations. Each call
 * is one statement, however many rows it touches. Thread-safe; statements run on the caller's transaction.
 */
public final class RelationshipStore {
    private final Dialect dialect;
    private final SchemaNames schemaNames;

    public RelationshipStore(Catalog catalog, Dialect dialect) {
        this.dialect = dialect;
        this.schemaNames = new SchemaNames(catalog);
    }

    /** The intersect table of a many-to-many relationship, or null when it has none. */
    public SchemaNames.@Nullable IntersectTable intersectTable(String relationship) {
        return schemaNames.intersectTable(relationship);
    }

    /** Whether the set holds at least one row. */
    public boolean any(Transaction tx, RowSet rows) {
        List<Object> parameters = new ArrayList<>();
        String sql = "SELECT 1 FROM " + dialect.quote(rows.table().logicalName()) + " WHERE " + where(rows, parameters)
                + " FETCH FIRST 1 ROWS ONLY";
        try (PreparedStatement statement = prepare(tx, sql, parameters); ResultSet result = statement.executeQuery()) {
            return result.next();
        } catch (SQLException e) {
            throw RecordStore.translate(dialect, schemaNames, e, rows.table(), Map.of());
        }
    }

    /** Whether any row of the table has this lookup set at all: an index probe, whatever the table's size. */
    public boolean anyLinked(Transaction tx, TableDefinition table, String column) {
        String sql = "SELECT 1 FROM " + dialect.quote(table.logicalName()) + " WHERE " + dialect.quote(column)
                + " IS NOT NULL FETCH FIRST 1 ROWS ONLY";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            return result.next();
        } catch (SQLException e) {
            throw RecordStore.translate(dialect, schemaNames, e, table, Map.of());
        }
    }

    /** The keys of at most {@code limit} rows of the set. */
    public List<UUID> keys(Transaction tx, RowSet rows, int limit) {
        List<Object> parameters = new ArrayList<>();
        String key = dialect.quote(rows.table().primaryIdAttribute());
        String sql = "SELECT " + key + " FROM " + dialect.quote(rows.table().logicalName()) + " WHERE "
                + where(rows, parameters) + " FETCH FIRST " + limit + " ROWS ONLY";
        List<UUID> keys = new ArrayList<>();
        try (PreparedStatement statement = prepare(tx, sql, parameters); ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                keys.add(result.getObject(1, UUID.class));
            }
            return keys;
        } catch (SQLException e) {
            throw RecordStore.translate(dialect, schemaNames, e, rows.table(), Map.of());
        }
    }

    /** The non-null values of one reference column (a lookup, file or image id) over the rows of the set. */
    public List<UUID> referencedIds(Transaction tx, RowSet rows, String column) {
        List<Object> parameters = new ArrayList<>();
        String quoted = dialect.quote(column);
        String sql = "SELECT " + quoted + " FROM " + dialect.quote(rows.table().logicalName()) + " WHERE "
                + where(rows, parameters) + " AND " + quoted + " IS NOT NULL";
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement statement = prepare(tx, sql, parameters); ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                ids.add(result.getObject(1, UUID.class));
            }
            return ids;
        } catch (SQLException e) {
            throw RecordStore.translate(dialect, schemaNames, e, rows.table(), Map.of());
        }
    }

    /** Deletes every row of the set; returns how many. */
    public int delete(Transaction tx, RowSet rows) {
        List<Object> parameters = new ArrayList<>();
        String sql = "DELETE FROM " + dialect.quote(rows.table().logicalName()) + " WHERE " + where(rows, parameters);
        return execute(tx, rows.table(), sql, parameters, Map.of());
    }

    /** Sets these columns on every row of the set, each row taking a new version if it has one; returns how many. */
    public int update(Transaction tx, RowSet rows, Map<String, @Nullable Object> values) {
        TableDefinition table = rows.table();
        StringBuilder sql = new StringBuilder("UPDATE ").append(dialect.quote(table.logicalName())).append(" SET ");
        List<Object> parameters = new ArrayList<>();
        List<ColumnDefinition> columns = new ArrayList<>();
        for (Map.Entry<String, @Nullable Object> entry : values.entrySet()) {
            ColumnDefinition column = table.column(entry.getKey());
            if (column == null || entry.getKey().equals(RecordStore.VERSION)) {
                continue;
            }
            sql.append(dialect.quote(column.logicalName())).append(" = ?, ");
            columns.add(column);
        }
        if (table.column(RecordStore.VERSION) != null) {
            sql.append(dialect.quote(RecordStore.VERSION)).append(" = ").append(dialect.nextVersionExpression());
        } else {
            sql.setLength(sql.length() - 2);
        }
        sql.append(" WHERE ");
        String condition = where(rows, parameters);
        sql.append(condition);
        try (PreparedStatement statement = tx.connection().prepareStatement(sql.toString())) {
            int index = 1;
            for (ColumnDefinition column : columns) {
                RecordStore.bind(statement, index++, values.get(column.logicalName()), column.type());
            }
            for (Object parameter : parameters) {
                statement.setObject(index++, parameter);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw RecordStore.translate(dialect, schemaNames, e, table, values);
        }
    }

    /** Deletes the intersect rows whose {@code column} holds a key of the set; returns how many. */
    public int deleteAssociations(Transaction tx, SchemaNames.IntersectTable intersect, String column, RowSet rows) {
        List<Object> parameters = new ArrayList<>();
        String sql = "DELETE FROM " + dialect.quote(intersect.name()) + " WHERE " + dialect.quote(column)
                + in(rows, parameters);
        return execute(tx, rows.table(), sql, parameters, Map.of());
    }

    /**
     * Adds the pair to the intersect table.
     *
     * @throws io.flowbin.error.DataverseException 412 DuplicateRecord when the rows are associated already
     */
    public void associate(Transaction tx, SchemaNames.IntersectTable intersect, UUID first, UUID second) {
        String sql = "INSERT INTO " + dialect.quote(intersect.name()) + " (" + dialect.quote(intersect.keyColumn())
                + ", " + dialect.quote(intersect.firstColumn()) + ", " + dialect.quote(intersect.secondColumn()) + ", "
                + dialect.quote(RecordStore.VERSION) + ") VALUES (?, ?, ?, " + dialect.nextVersionExpression() + ")";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, RowIds.next());
            statement.setObject(2, first);
            statement.setObject(3, second);
            statement.executeUpdate();
        } catch (SQLException e) {
            SqlFailure failure = SqlErrors.classify(dialect, e);
            if (failure.kind() == SqlFailure.Kind.UNIQUE_VIOLATION) {
                throw new DataverseException(412, ErrorCodes.DUPLICATE_RECORD, "Cannot insert duplicate key.", e);
            }
            throw SqlErrors.toDataverse(failure);
        }
    }

    /** Removes the pair from the intersect table; returns whether it was there. */
    public boolean disassociate(Transaction tx, SchemaNames.IntersectTable intersect, UUID first, UUID second) {
        String sql = "DELETE FROM " + dialect.quote(intersect.name()) + " WHERE "
                + dialect.quote(intersect.firstColumn()) + " = ? AND " + dialect.quote(intersect.secondColumn())
                + " = ?";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, first);
            statement.setObject(2, second);
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            throw SqlErrors.toDataverse(SqlErrors.classify(dialect, e));
        }
    }

    /**
     * The keys of the set as the content of an {@code IN (...)}: the keys themselves or a sub-select of them, for
     * statements of other tables that concern these rows (their shares); adds its parameters.
     */
    public String keyList(RowSet rows, List<Object> parameters) {
        return keysOf(rows, parameters);
    }

    /** The condition selecting the set's rows from its table, unqualified; adds its parameters. */
    private String where(RowSet rows, List<Object> parameters) {
        return switch (rows) {
            case RowSet.Keys keys -> dialect.quote(keys.table().primaryIdAttribute()) + in(keys, parameters);
            case RowSet.Referencing referencing -> {
                String condition = dialect.quote(referencing.column()) + in(referencing.parent(), parameters);
                if (referencing.filterColumn() != null) {
                    condition += " AND " + dialect.quote(referencing.filterColumn()) + " = ?";
                    parameters.add(java.util.Objects.requireNonNull(referencing.filterValue()));
                }
                yield condition;
            }
        };
    }

    /**
     * The test that a column holds a key of the set: {@code = ?} for one key (which every database answers from an
     * index; H2 does not for {@code IN (?)}), else {@code IN} the keys or a sub-select of them.
     */
    private String in(RowSet rows, List<Object> parameters) {
        if (rows instanceof RowSet.Keys keys && keys.ids().size() == 1) {
            parameters.add(keys.ids().get(0));
            return " = ?";
        }
        return " IN (" + keysOf(rows, parameters) + ")";
    }

    /** A list of the set's keys for an IN: the keys themselves, or a sub-select of them. */
    private String keysOf(RowSet rows, List<Object> parameters) {
        if (rows instanceof RowSet.Keys keys) {
            return placeholders(keys.ids(), parameters);
        }
        return "SELECT " + dialect.quote(rows.table().primaryIdAttribute()) + " FROM "
                + dialect.quote(rows.table().logicalName()) + " WHERE " + where(rows, parameters);
    }

    private static String placeholders(List<UUID> ids, List<Object> parameters) {
        if (ids.isEmpty()) {
            return "NULL"; // IN (NULL) matches nothing
        }
        parameters.addAll(ids);
        return "?, ".repeat(ids.size() - 1) + "?";
    }

    private PreparedStatement prepare(Transaction tx, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = tx.connection().prepareStatement(sql);
        try {
            int index = 1;
            for (Object parameter : parameters) {
                statement.setObject(index++, parameter);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private int execute(Transaction tx, TableDefinition table, String sql, List<Object> parameters,
            Map<String, @Nullable Object> values) {
        try (PreparedStatement statement = prepare(tx, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw RecordStore.translate(dialect, schemaNames, e, table, values);
        }
    }
}
