package io.flowbin.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowbin.data.Dialect;
import io.flowbin.data.query.Aggregation;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Literal;
import io.flowbin.data.query.Order;
import io.flowbin.data.query.Query;
import io.flowbin.data.query.QueryExecutor;
import io.flowbin.data.query.RenderedSql;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.ModelJson;
import io.flowbin.metadata.TableDefinition;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The raw JDBC baseline of the query benchmark: the very statements the server issues for the benchmark's requests,
 * rendered by the server's own {@link QueryExecutor} from the same query model, run from N threads over their own
 * pool, reading every column of every row. Writes each statement and its plan ({@code EXPLAIN ANALYZE}) to a file.
 * Arguments: a JDBC URL or an H2 data folder, threads, warm-up seconds, seconds, plan file. Prints one
 * {@code jdbc_<query>_per_sec=<rate>} line per query.
 */
final class QueryBaseline {
    private static final Catalog CATALOG = new Catalog(ModelJson.servedModel());
    private static final TableDefinition TABLE = Objects.requireNonNull(CATALOG.table("flowsessionbinary"));

    private QueryBaseline() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: QueryBaseline <jdbc url | h2 data dir> <threads> <warm-up seconds> <seconds> <plan file>");
        }
        String url = QuerySeed.jdbcUrl(args[0]);
        int threads = Integer.parseInt(args[1]);
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration measured = Duration.ofSeconds(Long.parseLong(args[3]));
        Dialect dialect = Dialect.fromJdbcUrl(url);
        QueryExecutor executor = new QueryExecutor(CATALOG, dialect);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        String user = System.getenv("FLOWBIN_DB_USER");
        if (user != null) {
            config.setUsername(user);
        }
        config.setMaximumPoolSize(threads);
        config.setMinimumIdle(threads);
        config.setAutoCommit(false);
        config.setPoolName("query-baseline");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Map<String, RenderedSql> statements = new LinkedHashMap<>();
            statements.put("filtered", executor.pageSql(filtered()));
            statements.put("page1", executor.pageSql(walk(null)));
            statements.put("page1000", executor.pageSql(walk(cursorOfPage(pool, executor, 1000))));
            statements.put("count", executor.countSql(Query.of(TABLE, List.of()), 5000));
            statements.put("apply", executor.aggregateSql(groupByState()));
            try (PrintWriter plans = new PrintWriter(Files.newBufferedWriter(Path.of(args[4]),
                    StandardCharsets.UTF_8))) {
                for (Map.Entry<String, RenderedSql> statement : statements.entrySet()) {
                    plans.println("### " + statement.getKey());
                    plans.println();
                    plans.println("```sql");
                    plans.println(statement.getValue().sql());
                    plans.println("-- parameters: " + statement.getValue().parameters());
                    plans.println("```");
                    plans.println();
                    plans.println("```");
                    plans.print(explain(pool, dialect, statement.getValue()));
                    plans.println("```");
                    plans.println();
                }
            }
            for (Map.Entry<String, RenderedSql> statement : statements.entrySet()) {
                run(pool, threads, statement.getValue(), warmUp);
                double rate = run(pool, threads, statement.getValue(), measured);
                System.out.printf(Locale.ROOT, "jdbc_%s_per_sec=%.1f%n", statement.getKey(), rate);
            }
        }
    }

    private static ColumnDefinition column(String name) {
        return Objects.requireNonNull(TABLE.column(name), name);
    }

    /** {@code $select=name,createdon&$filter=statecode eq 0 and startswith(name,'x')&$orderby=createdon desc&$top=50}. */
    static Query filtered() {
        Query query = Query.of(TABLE, List.of(column("name"), column("createdon"), column("flowsessionbinaryid"),
                column("versionnumber")))
                .and(new Condition.And(List.of(
                        new Condition.Compare(ColumnRef.root(column("statecode")), Condition.Comparator.EQ,
                                new Literal(0)),
                        Condition.Like.startsWith(ColumnRef.root(column("name")), "x"))))
                .withOrder(List.of(new Order(ColumnRef.root(column("createdon")), true)));
        return query.withLimit(50);
    }

    /** {@code $select=name&$filter=statecode eq 0&$orderby=createdon desc} in pages of 50, after a cursor. */
    static Query walk(@Nullable List<@Nullable Object> cursor) {
        Query query = Query.of(TABLE, List.of(column("name"), column("flowsessionbinaryid"), column("versionnumber"),
                column("createdon")))
                .and(new Condition.Compare(ColumnRef.root(column("statecode")), Condition.Comparator.EQ,
                        new Literal(0)))
                .withOrder(List.of(new Order(ColumnRef.root(column("createdon")), true)));
        return query.withLimit(50).withAfter(cursor);
    }

    /** {@code $apply=groupby((statecode),aggregate($count as count))}. */
    static Query groupByState() {
        return Query.of(TABLE, List.of()).withAggregation(new Aggregation(
                List.of(ColumnRef.root(column("statecode"))),
                List.of(new Aggregation.Aggregate(Aggregation.Function.COUNT_ROWS, null, "count"))));
    }

    /** The cursor after page {@code page - 1}, found by walking the pages with the keyset statements. */
    private static List<@Nullable Object> cursorOfPage(HikariDataSource pool, QueryExecutor executor, int page)
            throws SQLException {
        List<@Nullable Object> cursor = null;
        try (Connection connection = pool.getConnection()) {
            for (int current = 1; current < page; current++) {
                RenderedSql sql = executor.pageSql(walk(cursor));
                try (PreparedStatement statement = prepare(connection, sql); ResultSet rows = statement.executeQuery()) {
                    Object created = null;
                    Object key = null;
                    int read = 0;
                    while (rows.next() && read++ < 50) {
                        key = rows.getObject(2);
                        created = rows.getObject(4, java.time.OffsetDateTime.class);
                    }
                    cursor = new ArrayList<>();
                    cursor.add(created);
                    cursor.add(key);
                }
            }
            connection.rollback();
        }
        return cursor;
    }

    private static String explain(HikariDataSource pool, Dialect dialect, RenderedSql sql) throws SQLException {
        String prefix = dialect == Dialect.POSTGRESQL ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ";
        StringBuilder plan = new StringBuilder();
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = prepare(connection, new RenderedSql(prefix + sql.sql(),
                        sql.parameters()));
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
            connection.rollback();
        }
        return plan.toString();
    }

    private static PreparedStatement prepare(Connection connection, RenderedSql sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.sql());
        for (int i = 0; i < sql.parameters().size(); i++) {
            statement.setObject(i + 1, sql.parameters().get(i));
        }
        return statement;
    }

    private static double run(HikariDataSource pool, int threads, RenderedSql sql, Duration duration)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> counts = new ArrayList<>();
            long started = System.nanoTime();
            for (int thread = 0; thread < threads; thread++) {
                counts.add(workers.submit(() -> {
                    long done = 0;
                    try (Connection connection = pool.getConnection()) {
                        while (!stop.get()) {
                            try (PreparedStatement statement = prepare(connection, sql);
                                    ResultSet rows = statement.executeQuery()) {
                                int columns = rows.getMetaData().getColumnCount();
                                while (rows.next()) {
                                    for (int column = 1; column <= columns; column++) {
                                        rows.getObject(column);
                                    }
                                }
                            }
                            // end each statement's transaction as the server does
                            connection.commit();
                            done++;
                        }
                    }
                    return done;
                }));
            }
            Thread.sleep(duration.toMillis());
            stop.set(true);
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total / ((System.nanoTime() - started) / 1e9);
        } finally {
            workers.shutdownNow();
        }
    }
}
