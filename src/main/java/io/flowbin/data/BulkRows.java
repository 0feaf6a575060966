package io.flowbin.data;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes many rows of one table with JDBC batches: one prepared statement per run of rows that set the same columns,
 * sent in chunks of {@value #CHUNK} rows. Rows keep their order, so two changes of one row apply in the order given.
 * Thread-safe; statements run on the caller's transaction.
 */
public final class BulkRows {
    /** Rows per executeBatch call and ids per IN list: keeps statements and driver buffers bounded. */
    static final int CHUNK = 500;

    private final Dialect dialect;
    private final SchemaNames schemaNames;

    public BulkRows(Catalog catalog, Dialect dialect) {
        this.dialect = dialect;
        this.schemaNames = new SchemaNames(catalog);
    }

    /** One row's change: its id and the columns to set. */
    public record RowChange(UUID id, Map<String, @Nullable Object> values) {}

    /**
     * A write of one row of a batch failed.
     *
     * @param rowIndex the index of the failing row in the list given, or -1 when the database does not tell
     */
    public static final class RowFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int rowIndex;
        private final DataverseException error;

        RowFailure(int rowIndex, DataverseException error) {
            super(error.getMessage(), error);
            this.rowIndex = rowIndex;
            this.error = error;
        }

        public int rowIndex() {
            return rowIndex;
        }

        public DataverseException error() {
            return error;
        }
    }

    /**
     * Inserts the rows, each with a new row version.
     *
     * @throws RowFailure when a row violates a key or a constraint; nothing must be committed then
     */
    public void insertAll(Transaction tx, TableDefinition table, List<Map<String, @Nullable Object>> rows) {
        int start = 0;
        while (start < rows.size()) {
            List<String> columns = columnsOf(rows.get(start));
            int end = runEnd(rows, start, columns);
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(dialect.quote(table.logicalName()))
                    .append(" (");
            StringBuilder placeholders = new StringBuilder();
            for (String column : columns) {
                sql.append(dialect.quote(column)).append(", ");
                placeholders.append("?, ");
            }
            if (table.column(RecordStore.VERSION) != null) {
                sql.append(dialect.quote(RecordStore.VERSION)).append(") VALUES (").append(placeholders)
                        .append(dialect.nextVersionExpression()).append(')');
            } else {
                sql.setLength(sql.length() - 2);
                placeholders.setLength(placeholders.length() - 2);
                sql.append(") VALUES (").append(placeholders).append(')');
            }
            List<Map<String, @Nullable Object>> run = rows.subList(start, end);
            executeRun(tx, table, sql.toString(), columns, run, start, null);
            start = end;
        }
    }

    /**
     * Updates the rows, each with a new row version.
     *
     * @throws RowFailure when a row does not exist (404 naming the id) or violates a constraint
     */
    public void updateAll(Transaction tx, TableDefinition table, List<RowChange> changes) {
        int start = 0;
        List<Map<String, @Nullable Object>> rows = new ArrayList<>(changes.size());
        for (RowChange change : changes) {
            rows.add(change.values());
        }
        while (start < rows.size()) {
            List<String> columns = columnsOf(rows.get(start));
            int end = runEnd(rows, start, columns);
            StringBuilder sql = new StringBuilder("UPDATE ").append(dialect.quote(table.logicalName()))
                    .append(" SET ");
            for (String column : columns) {
                sql.append(dialect.quote(column)).append(" = ?, ");
            }
            if (table.column(RecordStore.VERSION) != null) {
                sql.append(dialect.quote(RecordStore.VERSION)).append(" = ").append(dialect.nextVersionExpression());
            } else {
                sql.setLength(sql.length() - 2);
            }
            sql.append(" WHERE ").append(dialect.quote(table.primaryIdAttribute())).append(" = ?");
            executeRun(tx, table, sql.toString(), columns, rows.subList(start, end), start,
                    changes.subList(start, end));
            start = end;
        }
    }

    /** Which of these ids are keys of rows of the table; one query per {@value #CHUNK} ids. */
    public Set<UUID> existingIds(Transaction tx, TableDefinition table, Collection<UUID> ids) {
        Set<UUID> found = new HashSet<>();
        List<UUID> all = new ArrayList<>(new HashSet<>(ids));
        String key = dialect.quote(table.primaryIdAttribute());
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String sql = "SELECT " + key + " FROM " + dialect.quote(table.logicalName()) + " WHERE " + key + " IN ("
                    + "?, ".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                int index = 1;
                for (UUID id : chunk) {
                    statement.setObject(index++, id);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getObject(1, UUID.class));
                    }
                }
            } catch (SQLException e) {
                throw RecordStore.translate(dialect, schemaNames, e, table, Map.of());
            }
        }
        return found;
    }

    private static List<String> columnsOf(Map<String, @Nullable Object> row) {
        List<String> columns = new ArrayList<>(row.keySet());
        columns.remove(RecordStore.VERSION);
        return columns;
    }

    /** The end (exclusive) of the run of rows from {@code start} that set exactly these columns. */
    private static int runEnd(List<Map<String, @Nullable Object>> rows, int start, List<String> columns) {
        Set<String> wanted = new HashSet<>(columns);
        int end = start + 1;
        while (end < rows.size() && columnsOf(rows.get(end)).size() == columns.size()
                && wanted.containsAll(rows.get(end).keySet().stream()
                        .filter(column -> !column.equals(RecordStore.VERSION)).toList())) {
            end++;
        }
        return end;
    }

    private void executeRun(Transaction tx, TableDefinition table, String sql, List<String> columns,
            List<Map<String, @Nullable Object>> run, int offset, @Nullable List<RowChange> changes) {
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            for (int chunkStart = 0; chunkStart < run.size(); chunkStart += CHUNK) {
                int chunkEnd = Math.min(run.size(), chunkStart + CHUNK);
                for (int i = chunkStart; i < chunkEnd; i++) {
                    Map<String, @Nullable Object> row = run.get(i);
                    int index = 1;
                    for (String column : columns) {
                        ColumnDefinition definition = table.column(column);
                        RecordStore.bind(statement, index++, row.get(column),
                                definition == null ? null : definition.type());
                    }
                    if (changes != null) {
                        statement.setObject(index, changes.get(i).id());
                    }
                    statement.addBatch();
                }
                int[] counts = executeChunk(statement, table, run, offset, chunkStart, chunkEnd);
                if (changes != null) {
                    for (int i = 0; i < counts.length; i++) {
                        if (counts[i] == 0) {
                            UUID missing = changes.get(chunkStart + i).id();
                            throw new RowFailure(offset + chunkStart + i, rowsNotFound(table, missing));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new RowFailure(-1, asDataverse(RecordStore.translate(dialect, schemaNames, e, table, Map.of())));
        }
    }

    private int[] executeChunk(PreparedStatement statement, TableDefinition table,
            List<Map<String, @Nullable Object>> run, int offset, int chunkStart, int chunkEnd) {
        try {
            return statement.executeBatch();
        } catch (BatchUpdateException failure) {
            int failed = failedEntry(failure.getUpdateCounts(), chunkEnd - chunkStart);
            int row = failed >= 0 && chunkStart + failed < chunkEnd ? chunkStart + failed : -1;
            Map<String, @Nullable Object> values = row >= 0 ? run.get(row) : Map.of();
            RuntimeException translated = RecordStore.translate(dialect, schemaNames, failure, table, values);
            throw new RowFailure(row < 0 ? -1 : offset + row, asDataverse(translated));
        } catch (SQLException failure) {
            throw new RowFailure(-1, asDataverse(RecordStore.translate(dialect, schemaNames, failure, table,
                    Map.of())));
        }
    }

    /**
     * The entry of a failed batch the driver reports: the first one marked failed, or, when the driver stops at the
     * failure and reports only the entries before it, the one after them; -1 when every entry is marked failed (a
     * driver that rewrote the batch into one statement cannot tell which row failed).
     */
    private static int failedEntry(int @Nullable [] counts, int entries) {
        if (counts == null) {
            return -1;
        }
        int failed = 0;
        int first = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.EXECUTE_FAILED) {
                failed++;
                first = first < 0 ? i : first;
            }
        }
        if (failed > 1 && failed == counts.length) {
            return -1;
        }
        return first >= 0 ? first : counts.length < entries ? counts.length : -1;
    }

    private static DataverseException asDataverse(RuntimeException translated) {
        return translated instanceof DataverseException dataverse
                ? dataverse
                : new DataverseException(500, ErrorCodes.UNEXPECTED, "An unexpected error occurred.", translated);
    }

    /** Dataverse's error for bulk writes of rows that do not exist. */
    public static DataverseException rowsNotFound(TableDefinition table, UUID id) {
        return new DataverseException(404, ErrorCodes.OBJECT_DOES_NOT_EXIST,
                table.logicalName() + " With Ids = " + id + " Do Not Exist");
    }
}
