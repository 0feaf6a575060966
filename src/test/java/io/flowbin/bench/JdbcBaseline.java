package io.flowbin.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The fastest the database itself serves this table's single-row work: select by key, insert plus commit, update
 * by key plus commit, each from N threads over their own pooled connection and prepared statement. It works on
 * the table the server created, discovering its key and columns from the JDBC metadata; inserts copy a seeded row.
 * Arguments: JDBC URL, table, threads, warm-up seconds, seconds, update column; user and password from
 * FLOWBIN_DB_USER and FLOWBIN_DB_PASSWORD when set. Prints one {@code jdbc_<operation>_per_sec=<rate>} line each.
 */
final class JdbcBaseline {

    /** One database round trip of a workload, run on the calling thread's own statement. */
    @FunctionalInterface
    private interface Operation {
        void execute(PreparedStatement statement, long sequence) throws SQLException;
    }

    private record Workload(String name, String sql, boolean commits, Operation operation) {
    }

    private final HikariDataSource pool;
    private final int threads;
    private final String table;
    private final String keyColumn;
    private final List<String> insertColumns;
    private final List<@Nullable Object> template;
    private final List<Object> keys;

    private JdbcBaseline(HikariDataSource pool, int threads, String tableName) throws SQLException {
        this.pool = pool;
        this.threads = threads;
        try (Connection connection = pool.getConnection()) {
            DatabaseMetaData metadata = connection.getMetaData();
            String[] schemaAndTable = findTable(metadata, tableName);
            this.table = quote(schemaAndTable[0]) + "." + quote(schemaAndTable[1]);
            this.keyColumn = primaryKey(metadata, schemaAndTable);
            this.insertColumns = columnsWithoutDefault(metadata, schemaAndTable, keyColumn);
            this.keys = keys(connection);
            this.template = templateRow(connection);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: JdbcBaseline <jdbc url> <table> <threads> <warm-up seconds> <seconds> <update column>");
        }
        int threads = Integer.parseInt(args[2]);
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[3]));
        Duration measured = Duration.ofSeconds(Long.parseLong(args[4]));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        String user = System.getenv("FLOWBIN_DB_USER");
        if (user != null) {
            config.setUsername(user);
        }
        config.setPassword(System.getenv("FLOWBIN_DB_PASSWORD"));
        config.setMaximumPoolSize(threads);
        config.setMinimumIdle(threads);
        config.setPoolName("jdbc-baseline");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcBaseline baseline = new JdbcBaseline(pool, threads, args[1]);
            for (Workload workload : baseline.workloads(args[5])) {
                baseline.run(workload, warmUp);
                double rate = baseline.run(workload, measured);
                System.out.printf(Locale.ROOT, "jdbc_%s_per_sec=%.1f%n", workload.name(), rate);
            }
        }
    }

    private List<Workload> workloads(String updateColumn) {
        String select = "SELECT * FROM " + table + " WHERE " + quote(keyColumn) + " = ?";
        String insert = "INSERT INTO " + table + " ("
                + insertColumns.stream().map(JdbcBaseline::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + insertColumns.stream().map(column -> "?").collect(Collectors.joining(", ")) + ")";
        String update = "UPDATE " + table + " SET " + quote(updateColumn) + " = ? WHERE " + quote(keyColumn) + " = ?";
        int keyIndex = insertColumns.indexOf(keyColumn);
        return List.of(
                new Workload("select", select, false, (statement, sequence) -> {
                    statement.setObject(1, key(sequence));
                    try (ResultSet row = statement.executeQuery()) {
                        int columns = row.getMetaData().getColumnCount();
                        while (row.next()) {
                            for (int column = 1; column <= columns; column++) {
                                row.getObject(column);
                            }
                        }
                    }
                }),
                new Workload("insert", insert, true, (statement, sequence) -> {
                    for (int index = 0; index < insertColumns.size(); index++) {
                        @Nullable Object value = index == keyIndex ? newKey() : template.get(index);
                        statement.setObject(index + 1, value);
                    }
                    statement.executeUpdate();
                }),
                new Workload("update", update, true, (statement, sequence) -> {
                    statement.setString(1, "jdbc-" + sequence);
                    statement.setObject(2, key(sequence));
                    if (statement.executeUpdate() != 1) {
                        throw new SQLException("update by key changed no row");
                    }
                }));
    }

    /** Runs the workload on all threads for the duration and returns operations per second. */
    private double run(Workload workload, Duration duration) throws InterruptedException, ExecutionException {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<Long>> counts = new ArrayList<>(threads);
        long start;
        long end;
        try (ExecutorService workers = Executors.newFixedThreadPool(threads)) {
            start = System.nanoTime();
            for (int thread = 0; thread < threads; thread++) {
                long firstSequence = (long) thread * Math.max(1, keys.size() / threads);
                counts.add(workers.submit(() -> loop(workload, running, firstSequence)));
            }
            Thread.sleep(duration);
            running.set(false);
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            end = System.nanoTime();
            return total / ((end - start) / 1e9);
        }
    }

    private long loop(Workload workload, AtomicBoolean running, long firstSequence) throws SQLException {
        long sequence = firstSequence;
        long done = 0;
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(workload.sql())) {
            connection.setAutoCommit(!workload.commits());
            while (running.get()) {
                workload.operation().execute(statement, sequence++);
                if (workload.commits()) {
                    connection.commit();
                }
                done++;
            }
        }
        return done;
    }

    private Object key(long sequence) {
        return keys.get((int) (sequence % keys.size()));
    }

    private Object newKey() {
        UUID key = UUID.randomUUID();
        return keys.getFirst() instanceof UUID ? key : key.toString();
    }

    private static String[] findTable(DatabaseMetaData metadata, String name) throws SQLException {
        for (String candidate : List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT))) {
            try (ResultSet tables = metadata.getTables(null, null, candidate, new String[] {"TABLE"})) {
                while (tables.next()) {
                    String schema = tables.getString("TABLE_SCHEM");
                    if (!schema.equalsIgnoreCase("information_schema") && !schema.startsWith("pg_")) {
                        return new String[] {schema, tables.getString("TABLE_NAME")};
                    }
                }
            }
        }
        throw new SQLException("no table named " + name + " in " + metadata.getURL()
                + "; start the server on this database first so that it creates its tables");
    }

    private static String primaryKey(DatabaseMetaData metadata, String[] table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet keys = metadata.getPrimaryKeys(null, table[0], table[1])) {
            while (keys.next()) {
                columns.add(keys.getString("COLUMN_NAME"));
            }
        }
        if (columns.size() != 1) {
            throw new SQLException("table " + table[1] + " has primary key columns " + columns + ", expected one");
        }
        return columns.getFirst();
    }

    /** The key and every column the database does not fill itself: what an insert must name. */
    private static List<String> columnsWithoutDefault(DatabaseMetaData metadata, String[] table, String keyColumn)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet column = metadata.getColumns(null, table[0], table[1], null)) {
            while (column.next()) {
                String name = column.getString("COLUMN_NAME");
                boolean filledByDatabase = column.getString("COLUMN_DEF") != null
                        || "YES".equals(column.getString("IS_AUTOINCREMENT"))
                        || "YES".equals(column.getString("IS_GENERATEDCOLUMN"));
                if (name.equals(keyColumn) || !filledByDatabase) {
                    columns.add(name);
                }
            }
        }
        return columns;
    }

    private List<Object> keys(Connection connection) throws SQLException {
        List<Object> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT " + quote(keyColumn) + " FROM " + table + " ORDER BY " + quote(keyColumn));
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.add(rows.getObject(1));
            }
        }
        if (found.isEmpty()) {
            throw new SQLException("table " + table + " is empty; seed rows through the server first");
        }
        return found;
    }

    private List<@Nullable Object> templateRow(Connection connection) throws SQLException {
        String columns = insertColumns.stream().map(JdbcBaseline::quote).collect(Collectors.joining(", "));
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + columns + " FROM " + table + " WHERE " + quote(keyColumn) + " = ?")) {
            statement.setObject(1, keys.getFirst());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                List<@Nullable Object> values = new ArrayList<>(insertColumns.size());
                for (int index = 1; index <= insertColumns.size(); index++) {
                    values.add(row.getObject(index));
                }
                return values;
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
