package io.flowbin.data;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Row-level storage of any table: insert, read by id, update and delete, each one parameterised statement. Every
 * write takes a new row version from the shared sequence. SQL texts are built from the metadata and cached.
 * Thread-safe; statements run on the caller's transaction.
 */
public final class RecordStore {
    static final String VERSION = "versionnumber";
    private static final UUID NIL = new UUID(0, 0);
    private final Catalog catalog;
    private final Dialect dialect;
    private final SchemaNames schemaNames;
    // statement texts by table: bounded by the number of tables
    private final Map<String, String> sqlCache = new ConcurrentHashMap<>();
    // one plan per table and distinct $select list clients send: bounded, least used plans go first
    private final Cache<SelectKey, SelectPlan> selectPlans = Caffeine.newBuilder().maximumSize(1_024).build();
    private final KeyReads<SelectKey, StoredRow> keyReads = new KeyReads<>();

    public RecordStore(Catalog catalog, Dialect dialect) {
        this.catalog = catalog;
        this.dialect = dialect;
        this.schemaNames = new SchemaNames(catalog);
    }

    /** Inserts a row; returns the version it was given. */
    public long insert(Transaction tx, TableDefinition table, Map<String, @Nullable Object> values) {
        List<String> columns = new ArrayList<>(values.keySet());
        columns.remove(VERSION);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(dialect.quote(table.logicalName())).append(" (");
        StringBuilder placeholders = new StringBuilder();
        for (String column : columns) {
            sql.append(dialect.quote(column)).append(", ");
            placeholders.append("?, ");
        }
        sql.append(dialect.quote(VERSION)).append(") VALUES (").append(placeholders)
                .append(dialect.nextVersionExpression()).append(')');
        return executeReturningVersion(tx, table, sql.toString(), columns, values, List.of());
    }

    /**
     * Updates the row with this id, setting these columns and a new version; with an expected version only when the
     * row still has it. Returns the new version, or -1 when no row matched.
     */
    public long update(Transaction tx, TableDefinition table, UUID id, Map<String, @Nullable Object> values,
            @Nullable Long expectedVersion) {
        List<String> columns = new ArrayList<>(values.keySet());
        columns.remove(VERSION);
        StringBuilder sql = new StringBuilder("UPDATE ").append(dialect.quote(table.logicalName())).append(" SET ");
        for (String column : columns) {
            sql.append(dialect.quote(column)).append(" = ?, ");
        }
        sql.append(dialect.quote(VERSION)).append(" = ").append(dialect.nextVersionExpression())
                .append(" WHERE ").append(dialect.quote(table.primaryIdAttribute())).append(" = ?");
        List<Object> where = new ArrayList<>();
        where.add(id);
        if (expectedVersion != null) {
            sql.append(" AND ").append(dialect.quote(VERSION)).append(" = ?");
            where.add(expectedVersion);
        }
        return executeReturningVersion(tx, table, sql.toString(), columns, values, where);
    }

    /** Deletes the row with this id (and, when given, this version); returns whether a row was deleted. */
    public boolean delete(Transaction tx, TableDefinition table, UUID id, @Nullable Long expectedVersion) {
        String sql = "DELETE FROM " + dialect.quote(table.logicalName()) + " WHERE "
                + dialect.quote(table.primaryIdAttribute()) + " = ?"
                + (expectedVersion == null ? "" : " AND " + dialect.quote(VERSION) + " = ?");
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, id);
            if (expectedVersion != null) {
                statement.setLong(2, expectedVersion);
            }
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            throw translate(e, table, Map.of());
        }
    }

    /** The row's current version, or null when there is no such row. */
    public @Nullable Long version(Transaction tx, TableDefinition table, UUID id) {
        String sql = sqlCache.computeIfAbsent("version:" + table.logicalName(), key -> "SELECT "
                + dialect.quote(VERSION) + " FROM " + dialect.quote(table.logicalName()) + " WHERE "
                + dialect.quote(table.primaryIdAttribute()) + " = ?");
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw translate(e, table, Map.of());
        }
    }

    /**
     * Reads these columns of the row with this id. With {@code withLookupNames}, each lookup column's referenced
     * row's primary name is read in the same statement (for formatted values).
     */
    public @Nullable StoredRow select(Transaction tx, TableDefinition table, UUID id,
            Collection<ColumnDefinition> columns, boolean withLookupNames) {
        List<ColumnDefinition> selected = List.copyOf(columns);
        return selectOne(tx, table, id, selected, selectPlan(table, selected, withLookupNames));
    }

    private @Nullable StoredRow selectOne(Transaction tx, TableDefinition table, UUID id,
            List<ColumnDefinition> selected, SelectPlan plan) {
        try (PreparedStatement statement = tx.connection().prepareStatement(plan.sql())) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? storedRow(rows, selected, plan) : null;
            }
        } catch (SQLException e) {
            throw translate(e, table, Map.of());
        }
    }

    /**
     * Reads one row by id; null when there is no such row. Outside a transaction it is one auto-commit statement that
     * it may share with reads of other ids of the same table and columns made at the same moment (see
     * {@link KeyReads}); inside the calling thread's transaction it is a plain {@link #select} in that transaction, so
     * that no other read sees what the transaction has not committed.
     */
    public @Nullable StoredRow selectShared(Database database, TableDefinition table, UUID id,
            Collection<ColumnDefinition> columns, boolean withLookupNames) {
        if (database.transactionOpenOnThisThread()) {
            return database.read(tx -> select(tx, table, id, columns, withLookupNames));
        }
        List<ColumnDefinition> selected = List.copyOf(columns);
        SelectKey key = new SelectKey(table.logicalName(), names(selected), withLookupNames);
        SelectPlan plan = selectPlan(key, table, selected);
        return keyReads.select(key, id, ids -> database.read(tx -> selectMany(tx, table, ids, selected, plan)));
    }

    /** Reads the rows with these distinct ids (at most {@link KeyReads#MAX_KEYS}) in one statement, by id. */
    private Map<UUID, StoredRow> selectMany(Transaction tx, TableDefinition table, List<UUID> ids,
            List<ColumnDefinition> selected, SelectPlan plan) {
        if (ids.size() == 1) {
            StoredRow row = selectOne(tx, table, ids.get(0), selected, plan);
            return row == null ? Map.of() : Map.of(ids.get(0), row);
        }
        // the keys are padded to a power of two with the nil id, which no row has, so that few statement texts are
        // prepared
        int slots = Integer.highestOneBit(ids.size() - 1) << 1;
        Map<UUID, StoredRow> found = new HashMap<>();
        try (PreparedStatement statement = tx.connection().prepareStatement(plan.manyKeysSql(slots))) {
            for (int slot = 0; slot < slots; slot++) {
                statement.setObject(slot + 1, slot < ids.size() ? ids.get(slot) : NIL);
            }
            try (ResultSet rows = statement.executeQuery()) {
                int keyIndex = selected.size() + plan.named().size() + 1;
                while (rows.next()) {
                    UUID id = rows.getObject(keyIndex, UUID.class);
                    if (!id.equals(NIL)) {
                        found.put(id, storedRow(rows, selected, plan));
                    }
                }
            }
        } catch (SQLException e) {
            throw translate(e, table, Map.of());
        }
        return found;
    }

    private static StoredRow storedRow(ResultSet rows, List<ColumnDefinition> selected, SelectPlan plan)
            throws SQLException {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        int index = 1;
        for (ColumnDefinition column : selected) {
            values.put(column.logicalName(), read(rows, index++, column.type()));
        }
        Map<String, String> names = new HashMap<>();
        for (ColumnDefinition column : plan.named()) {
            String name = rows.getString(index++);
            if (name != null) {
                names.put(column.logicalName(), name);
            }
        }
        return new StoredRow(values, names);
    }

    private static List<String> names(List<ColumnDefinition> columns) {
        return columns.stream().map(ColumnDefinition::logicalName).toList();
    }

    /**
     * A select by key, cached: the statement text, the lookups whose names it reads, and the statement that reads one
     * key with the key as its last column (the arm of a statement that reads several).
     */
    private record SelectPlan(String sql, List<ColumnDefinition> named, String keyedSql,
            AtomicReferenceArray<String> manyKeysSqls) {
        SelectPlan(String sql, List<ColumnDefinition> named, String keyedSql) {
            this(sql, named, keyedSql, new AtomicReferenceArray<>(Integer.numberOfTrailingZeros(KeyReads.MAX_KEYS) + 1));
        }

        /**
         * Reads {@code keys} keys (a power of two) as one statement of single-key selects joined by UNION ALL: each
         * part is a lookup in the primary key's index, whatever the planner thinks of the table's size (PostgreSQL
         * scans a small table whole for {@code IN (…)}, at several times the cost).
         */
        String manyKeysSql(int keys) {
            int slot = Integer.numberOfTrailingZeros(keys);
            String sql = manyKeysSqls.get(slot);
            if (sql == null) {
                StringJoiner parts = new StringJoiner(" UNION ALL ");
                for (int key = 0; key < keys; key++) {
                    parts.add(keyedSql);
                }
                sql = parts.toString();
                manyKeysSqls.set(slot, sql);
            }
            return sql;
        }
    }

    record SelectKey(String table, List<String> columns, boolean withLookupNames) {}

    private SelectPlan selectPlan(TableDefinition table, List<ColumnDefinition> selected, boolean withLookupNames) {
        return selectPlan(new SelectKey(table.logicalName(), names(selected), withLookupNames), table, selected);
    }

    private SelectPlan selectPlan(SelectKey key, TableDefinition table, List<ColumnDefinition> selected) {
        return selectPlans.get(key, unused -> newSelectPlan(table, selected, key.withLookupNames()));
    }

    private SelectPlan newSelectPlan(TableDefinition table, List<ColumnDefinition> selected,
            boolean withLookupNames) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (ColumnDefinition column : selected) {
            sql.append("t.").append(dialect.quote(column.logicalName())).append(", ");
        }
        List<ColumnDefinition> named = new ArrayList<>();
        if (withLookupNames) {
            for (ColumnDefinition column : selected) {
                String nameExpression =
                        LookupNames.expression(catalog, dialect, column, "t." + dialect.quote(column.logicalName()));
                if (nameExpression != null) {
                    sql.append(nameExpression).append(", ");
                    named.add(column);
                }
            }
        }
        String key = "t." + dialect.quote(table.primaryIdAttribute());
        String where = " FROM " + dialect.quote(table.logicalName()) + " t WHERE " + key + " = ?";
        return new SelectPlan(sql.substring(0, sql.length() - 2) + where, List.copyOf(named), sql + key + where);
    }

    /** Whether a row with this id exists in the table. */
    public boolean exists(Transaction tx, TableDefinition table, UUID id) {
        return version(tx, table, id) != null;
    }

    private long executeReturningVersion(Transaction tx, TableDefinition table, String sql, List<String> columns,
            Map<String, @Nullable Object> values, List<Object> where) {
        try (PreparedStatement statement = tx.connection().prepareStatement(sql, new String[] {VERSION})) {
            int index = 1;
            for (String column : columns) {
                ColumnDefinition definition = table.column(column);
                bind(statement, index++, values.get(column), definition == null ? null : definition.type());
            }
            for (Object value : where) {
                statement.setObject(index++, value);
            }
            if (statement.executeUpdate() == 0) {
                return -1L;
            }
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (keys.next()) {
                    return keys.getLong(1);
                }
            }
            throw new SQLException("The database returned no row version for " + table.logicalName());
        } catch (SQLException e) {
            throw translate(e, table, values);
        }
    }

    /**
     * A foreign-key violation on a write names the lookup whose row does not exist, as Dataverse does; every other
     * failure is translated by the dialect's SQL error table.
     */
    private RuntimeException translate(SQLException failure, TableDefinition table,
            Map<String, @Nullable Object> values) {
        return translate(dialect, schemaNames, failure, table, values);
    }

    static RuntimeException translate(Dialect dialect, SchemaNames schemaNames, SQLException failure,
            TableDefinition table, Map<String, @Nullable Object> values) {
        SqlFailure classified = SqlErrors.classify(dialect, failure);
        if (classified.kind() == SqlFailure.Kind.FOREIGN_KEY_VIOLATION && classified.constraintName() != null) {
            SchemaNames.ForeignKey key = schemaNames.columnOfForeignKey(classified.constraintName());
            if (key != null && key.table().equals(table.logicalName()) && values.get(key.column()) != null) {
                return ErrorCodes.rowNotFound(key.referencedTable(), values.get(key.column()));
            }
        }
        return SqlErrors.toDataverse(classified);
    }

    static void bind(PreparedStatement statement, int index, @Nullable Object value, @Nullable AttributeType type)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, type == null ? Types.OTHER : sqlType(type));
        } else {
            statement.setObject(index, value);
        }
    }

    private static int sqlType(AttributeType type) {
        return switch (type) {
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER, FILE, IMAGE -> Types.OTHER;
            case STRING, MEMO, ENTITYNAME, VIRTUAL -> Types.VARCHAR;
            case INTEGER, PICKLIST, STATE, STATUS -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case DECIMAL, MONEY -> Types.NUMERIC;
            case DOUBLE -> Types.DOUBLE;
            case BOOLEAN, MANAGEDPROPERTY -> Types.BOOLEAN;
            case DATETIME -> Types.TIMESTAMP_WITH_TIMEZONE;
        };
    }

    /** Reads a column value of this type as its Java type ({@code UUID}, {@code OffsetDateTime}…), null when empty. */
    public static @Nullable Object read(ResultSet rows, int index, AttributeType type) throws SQLException {
        Object value = switch (type) {
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER, FILE, IMAGE -> rows.getObject(index, UUID.class);
            case STRING, MEMO, ENTITYNAME, VIRTUAL -> rows.getString(index);
            case INTEGER, PICKLIST, STATE, STATUS -> rows.getInt(index);
            case BIGINT -> rows.getLong(index);
            case DECIMAL, MONEY -> rows.getBigDecimal(index);
            case DOUBLE -> rows.getDouble(index);
            case BOOLEAN, MANAGEDPROPERTY -> rows.getBoolean(index);
            case DATETIME -> rows.getObject(index, OffsetDateTime.class);
        };
        return rows.wasNull() ? null : value;
    }
}
