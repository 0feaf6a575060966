package io.flowbin.bench;

import io.flowbin.FlowbinServer;
import io.flowbin.config.ServerConfig;
import io.flowbin.data.DatabaseSettings;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.TestDatabase;
import io.flowbin.testing.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The bulk benchmark ({@code ./flowbin bench bulk}): on each database, a server in this JVM against a fresh database
 * and, in the same run and on the same table, the raw JDBC baselines. Measures CreateMultiple of 1,000-row requests
 * against batched inserts of 100 rows per transaction, UpdateMultiple of 1,000-row requests against batched updates
 * of 100 rows per transaction (rows per second, same number of threads), and the cascading delete of a flow session
 * with 10,000 binaries against the equivalent raw SQL delete in one transaction (median of several runs). The H2
 * baseline opens the server's database file in this JVM, which H2 shares between connections of one process.
 * Arguments: output file, then the databases ({@code h2}, {@code postgresql}). Settings: BENCH_BULK_SECONDS (10),
 * BENCH_BULK_WARMUP_SECONDS (3), BENCH_BULK_THREADS (2), BENCH_BULK_ROUNDS (5), BENCH_CASCADE_ROWS (10000),
 * BENCH_CASCADE_RUNS (3).
 */
final class BulkBench {
    private static final int REQUEST_ROWS = 1000;
    private static final int BASELINE_ROWS_PER_TRANSACTION = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Duration measured = Duration.ofSeconds(setting("BENCH_BULK_SECONDS", 10));
    private final Duration warmUp = Duration.ofSeconds(setting("BENCH_BULK_WARMUP_SECONDS", 3));
    private final int threads = (int) setting("BENCH_BULK_THREADS", 2);
    private final int cascadeRows = (int) setting("BENCH_CASCADE_ROWS", 10_000);
    private final int cascadeRuns = (int) setting("BENCH_CASCADE_RUNS", 3);
    private final int rounds = (int) setting("BENCH_BULK_ROUNDS", 5);

    private FlowbinServer server;
    private String serviceRoot;
    private String token;
    private DatabaseSettings settings;
    private UUID session;
    /** One open connection per worker (and one for the deletes), as a pool would keep them. */
    private final Map<Integer, Connection> connections = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> bodies = new java.util.concurrent.ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: BulkBench <summary file> h2|postgresql...");
        }
        BulkBench bench = new BulkBench();
        StringBuilder rates = new StringBuilder();
        StringBuilder targets = new StringBuilder();
        for (String database : Arrays.asList(args).subList(1, args.length)) {
            DatabaseKind kind = switch (database) {
                case "h2" -> DatabaseKind.H2;
                case "postgresql" -> DatabaseKind.POSTGRESQL;
                default -> throw new IllegalArgumentException("unknown database " + database);
            };
            Map<String, Double> results = bench.run(kind);
            rates.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", database,
                    results.get("create"), results.get("jdbc_insert"), results.get("update"),
                    results.get("jdbc_update"), results.get("cascade_ms"), results.get("sql_delete_ms")));
            targets.append(row("CreateMultiple / JDBC batched insert, " + database, results.get("create_ratio"),
                    ">=", 0.5));
            targets.append(row("UpdateMultiple / JDBC batched update, " + database, results.get("update_ratio"),
                    ">=", 0.5));
            targets.append(row("Cascade delete of " + bench.cascadeRows + " binaries / raw SQL delete, " + database,
                    results.get("cascade_ratio"), "<", 2.0));
        }
        String summary = "# flowbin bulk benchmark, " + Instant.now() + "\n\n"
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + "; " + bench.threads
                + " threads for the server requests and for the baselines alike; " + bench.rounds
                + " rounds of server and baseline side by side, each " + bench.warmUp.toSeconds()
                + " s warm-up and " + bench.measured.toSeconds() + " s measured; cascade: " + bench.cascadeRuns
                + " runs of each. Rates and times are medians; each ratio is the median of the per-round ratios.\n\n"
                + "| Database | CreateMultiple rows/s | JDBC insert rows/s (100/tx) | UpdateMultiple rows/s"
                + " | JDBC update rows/s (100/tx) | Cascade delete ms | Raw SQL delete ms |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n" + rates
                + "\n| Target | Measured | Required | Result |\n|---|---:|---|---|\n" + targets;
        Files.writeString(Path.of(args[0]), summary);
        System.out.println(summary);
    }

    private static String row(String name, double measured, String comparison, double limit) {
        boolean pass = comparison.equals(">=") ? measured >= limit : measured < limit;
        return String.format(Locale.ROOT, "| %s | %.2f | %s %.1f | %s |%n", name, measured, comparison, limit,
                pass ? "PASS" : "FAIL");
    }

    private static long setting(String name, long fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }

    private Map<String, Double> run(DatabaseKind kind) throws Exception {
        Path work = Files.createTempDirectory("flowbin-bulk-bench");
        Map<String, Double> results = new HashMap<>();
        try (TestDatabase database = TestDatabases.create(kind, work.resolve("db"))) {
            settings = database.settings();
            start(work);
            try {
                session = UUID.fromString(createSession("bench"));
                // the machine is shared and noisy: server and baseline alternate, and each ratio is a median of
                // ratios measured side by side
                Map<String, List<Double>> samples = new HashMap<>();
                List<UUID> ids = null;
                for (int round = 1; round <= rounds; round++) {
                    log(kind + ": round " + round + " of " + rounds);
                    sample(samples, "create", rate(this::createMultiple));
                    sample(samples, "jdbc_insert", rate(this::jdbcInsert));
                    if (ids == null) {
                        ids = existingIds(threads * REQUEST_ROWS);
                    }
                    List<UUID> rows = ids;
                    sample(samples, "update", rate(worker -> updateMultiple(rows, worker)));
                    sample(samples, "jdbc_update", rate(worker -> jdbcUpdate(rows, worker)));
                }
                for (int run = 0; run < cascadeRuns; run++) {
                    log(kind + ": cascade delete of " + cascadeRows + " binaries, run " + (run + 1));
                    sample(samples, "cascade_ms", cascadeDelete(run));
                    sample(samples, "sql_delete_ms", sqlDelete(run));
                }
                samples.forEach((key, values) -> results.put(key, median(values)));
                results.put("create_ratio", medianRatio(samples.get("create"), samples.get("jdbc_insert")));
                results.put("update_ratio", medianRatio(samples.get("update"), samples.get("jdbc_update")));
                results.put("cascade_ratio", medianRatio(samples.get("cascade_ms"), samples.get("sql_delete_ms")));
            } finally {
                for (Connection connection : connections.values()) {
                    connection.close();
                }
                connections.clear();
                bodies.clear();
                server.close();
            }
        }
        log(kind + ": " + results);
        return results;
    }

    private void start(Path work) throws IOException {
        Map<String, String> env = new HashMap<>();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        env.put("FLOWBIN_PORT", Integer.toString(port));
        env.put("FLOWBIN_DATA_DIR", work.resolve("data").toString());
        env.put("FLOWBIN_DB_URL", settings.jdbcUrl());
        if (settings.user() != null) {
            env.put("FLOWBIN_DB_USER", settings.user());
        }
        env.put("FLOWBIN_DB_POOL_SIZE", Integer.toString(Math.max(4, threads * 2)));
        env.put("FLOWBIN_JWT_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID());
        env.put("FLOWBIN_ADMIN_OID", UUID.randomUUID().toString());
        server = FlowbinServer.start(ServerConfig.fromEnvironment(env));
        serviceRoot = "http://127.0.0.1:" + server.port() + "/api/data/v9.2/";
        token = Objects.requireNonNull(server.mintAdminToken(Duration.ofHours(2)));
    }

    /** One unit of work of a measured workload; returns the rows it wrote. */
    @FunctionalInterface
    private interface Work {
        long run(int worker) throws Exception;
    }

    /** Rows per second over the measured period, after the warm-up, from {@link #threads} threads. */
    private double rate(Work work) throws Exception {
        runFor(work, warmUp);
        return runFor(work, measured) / (measured.toNanos() / 1e9);
    }

    private long runFor(Work work, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong rows = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int worker = 0; worker < threads; worker++) {
                int id = worker;
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        rows.addAndGet(work.run(id));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return rows.get();
    }

    private static void sample(Map<String, List<Double>> samples, String key, double value) {
        samples.computeIfAbsent(key, name -> new ArrayList<>()).add(value);
        log(String.format(Locale.ROOT, "%s = %.0f", key, value));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double medianRatio(List<Double> numerators, List<Double> denominators) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(numerators.get(i) / denominators.get(i));
        }
        return median(ratios);
    }

    private long createMultiple(int worker) throws IOException, InterruptedException {
        // the body is built once per worker and session: the client's own work is not what is measured
        String body = bodies.computeIfAbsent("create-" + worker + "-" + session, key -> {
            StringBuilder targets = new StringBuilder("{\"Targets\":[");
            for (int i = 0; i < REQUEST_ROWS; i++) {
                targets.append(i == 0 ? "" : ",").append("{\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\","
                        + "\"name\":\"bulk-").append(worker).append('-').append(i).append("\",\"type\":\"Input\","
                        + "\"mimetype\":\"application/octet-stream\",\"flowsessionid@odata.bind\":\"flowsessions(")
                        .append(session).append(")\"}");
            }
            return targets.append("]}").toString();
        });
        send("POST", "flowsessionbinaries/Microsoft.Dynamics.CRM.CreateMultiple", body, 200);
        return REQUEST_ROWS;
    }

    private long updateMultiple(List<UUID> ids, int worker) throws IOException, InterruptedException {
        String body = bodies.computeIfAbsent("update-" + worker, key -> {
            StringBuilder targets = new StringBuilder("{\"Targets\":[");
            for (int i = 0; i < REQUEST_ROWS; i++) {
                targets.append(i == 0 ? "" : ",").append("{\"@odata.type\":\"Microsoft.Dynamics.CRM.flowsessionbinary\","
                        + "\"flowsessionbinaryid\":\"").append(ids.get(worker * REQUEST_ROWS + i))
                        .append("\",\"name\":\"updated-").append(i).append("\"}");
            }
            return targets.append("]}").toString();
        });
        send("POST", "flowsessionbinaries/Microsoft.Dynamics.CRM.UpdateMultiple", body, 204);
        return REQUEST_ROWS;
    }

    /**
     * The same rows a CreateMultiple writes (every column the server sets, a version from the sequence), 100 per
     * transaction with one JDBC batch each.
     */
    private long jdbcInsert(int worker) throws SQLException {
        UUID admin = server.organization().adminUserId();
        UUID unit = server.organization().rootBusinessUnitId();
        String sql = "INSERT INTO \"flowsessionbinary\" (\"flowsessionbinaryid\", \"name\", \"type\", \"mimetype\","
                + " \"flowsessionid\", \"ownerid\", \"owneridtype\", \"owninguser\", \"owningbusinessunit\","
                + " \"statecode\", \"statuscode\", \"createdon\", \"modifiedon\", \"createdby\", \"modifiedby\","
                + " \"versionnumber\") VALUES (?, ?, 'Input', 'application/octet-stream', ?, ?, 'systemuser', ?, ?,"
                + " 0, 1, ?, ?, ?, ?, " + server.database().dialect().nextVersionExpression() + ")";
        Connection connection = connection(worker);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int i = 0; i < BASELINE_ROWS_PER_TRANSACTION; i++) {
                statement.setObject(1, UUID.randomUUID());
                statement.setString(2, "jdbc-" + worker + "-" + i);
                statement.setObject(3, session);
                statement.setObject(4, admin);
                statement.setObject(5, admin);
                statement.setObject(6, unit);
                statement.setTimestamp(7, now);
                statement.setTimestamp(8, now);
                statement.setObject(9, admin);
                statement.setObject(10, admin);
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
        }
        return BASELINE_ROWS_PER_TRANSACTION;
    }

    private long jdbcUpdate(List<UUID> ids, int worker) throws SQLException {
        String sql = "UPDATE \"flowsessionbinary\" SET \"name\" = ?, \"modifiedon\" = ?, \"modifiedby\" = ?,"
                + " \"modifiedonbehalfby\" = NULL, \"versionnumber\" = " + server.database().dialect().nextVersionExpression()
                + " WHERE \"flowsessionbinaryid\" = ?";
        UUID admin = server.organization().adminUserId();
        int offset = worker * REQUEST_ROWS + (int) (System.nanoTime() % (REQUEST_ROWS / BASELINE_ROWS_PER_TRANSACTION))
                * BASELINE_ROWS_PER_TRANSACTION;
        Connection connection = connection(worker);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int i = 0; i < BASELINE_ROWS_PER_TRANSACTION; i++) {
                statement.setString(1, "jdbc-updated-" + now.getTime());
                statement.setTimestamp(2, now);
                statement.setObject(3, admin);
                statement.setObject(4, ids.get(offset + i));
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
        }
        return BASELINE_ROWS_PER_TRANSACTION;
    }

    /** Milliseconds of {@code DELETE flowsessions(<id>)} for a session with {@link #cascadeRows} binaries. */
    private long cascadeDelete(int run) throws Exception {
        UUID parent = sessionWithBinaries("cascade-" + run);
        long started = System.nanoTime();
        send("DELETE", "flowsessions(" + parent + ")", null, 204);
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        requireNoBinaries(parent);
        return elapsed;
    }

    /** Milliseconds of the equivalent raw SQL: the binaries and the session deleted in one transaction. */
    private long sqlDelete(int run) throws Exception {
        UUID parent = sessionWithBinaries("sql-" + run);
        Connection connection = connection(-1);
        long started = System.nanoTime();
        for (String sql : List.of("DELETE FROM \"flowsessionbinary\" WHERE \"flowsessionid\" = ?",
                "DELETE FROM \"flowsession\" WHERE \"flowsessionid\" = ?")) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, parent);
                statement.executeUpdate();
            }
        }
        connection.commit();
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        requireNoBinaries(parent);
        return elapsed;
    }

    private UUID sessionWithBinaries(String name) throws Exception {
        UUID parent = UUID.fromString(createSession(name));
        UUID saved = session;
        session = parent;
        try {
            for (int written = 0; written < cascadeRows; written += REQUEST_ROWS) {
                createMultiple(0);
            }
        } finally {
            session = saved;
        }
        return parent;
    }

    private void requireNoBinaries(UUID parent) throws SQLException {
        try (PreparedStatement statement = connection(-1).prepareStatement(
                "SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"flowsessionid\" = ?")) {
            statement.setObject(1, parent);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (rows.getLong(1) != 0) {
                    throw new IllegalStateException("binaries of " + parent + " survived the delete");
                }
            }
            connection(-1).commit();
        }
    }

    private List<UUID> existingIds(int count) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement statement = connection(-1).prepareStatement(
                "SELECT \"flowsessionbinaryid\" FROM \"flowsessionbinary\" FETCH FIRST " + count + " ROWS ONLY");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        connection(-1).commit();
        if (ids.size() < count) {
            throw new IllegalStateException("only " + ids.size() + " rows to update; " + count + " needed");
        }
        return ids;
    }

    private String createSession(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "flowsessions", "{\"name\":\"" + name + "\"}", 204);
        String entityId = response.headers().firstValue("OData-EntityId").orElseThrow();
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    private Connection connection(int worker) throws SQLException {
        Connection open = connections.get(worker);
        if (open == null) {
            open = connect();
            connections.put(worker, open);
        }
        return open;
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        connection.setAutoCommit(false);
        return connection;
    }

    private HttpResponse<String> send(String method, String path, @Nullable String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serviceRoot + path))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json; charset=utf-8");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return response;
    }

    private static void log(String message) {
        System.err.println("bench bulk: " + message);
    }
}
