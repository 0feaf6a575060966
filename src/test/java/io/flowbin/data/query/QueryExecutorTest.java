package io.flowbin.data.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.data.Database;
import io.flowbin.data.StoredRow;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ModelJson;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.TestDatabase;
import io.flowbin.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The query model rendered and run on a fresh H2 and PostgreSQL database. */
class QueryExecutorTest {
    private static final Catalog CATALOG = new Catalog(ModelJson.servedModel());
    private static final TableDefinition TABLE = Objects.requireNonNull(CATALOG.table("flowsessionbinary"));
    private static final int ROWS = 40;

    @TempDir
    Path tempDir;

    @FunctionalInterface
    private interface Body {
        void run(Database database, QueryExecutor executor) throws Exception;
    }

    private void withRows(DatabaseKind kind, Body body) throws Exception {
        try (TestDatabase testDatabase = TestDatabases.create(kind, tempDir);
                Database database = Database.open(testDatabase.settings(), CATALOG)) {
            database.inTransaction(tx -> {
                try (PreparedStatement insert = tx.connection().prepareStatement("INSERT INTO \"flowsessionbinary\""
                        + " (\"flowsessionbinaryid\", \"name\", \"importsequencenumber\", \"createdon\","
                        + " \"statecode\", \"versionnumber\") VALUES (?, ?, ?, ?, ?, ?)")) {
                    OffsetDateTime start = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
                    for (int i = 0; i < ROWS; i++) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, i % 7 == 0 ? null : (i % 2 == 0 ? "Name " : "name ") + (i % 5));
                        insert.setObject(3, i % 4 == 0 ? null : i % 6);
                        insert.setObject(4, i % 9 == 0 ? null : start.plusHours(i % 8));
                        insert.setInt(5, i % 3 == 0 ? 1 : 0);
                        insert.setLong(6, i + 1);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                return null;
            });
            body.run(database, new QueryExecutor(CATALOG, database.dialect()));
            assertEquals(0, database.activeConnections(), "connections still lent out after the test");
        }
    }

    private static ColumnRef column(String name) {
        return ColumnRef.root(Objects.requireNonNull(TABLE.column(name)));
    }

    private static Query all() {
        return Query.of(TABLE, List.of(TABLE.column("flowsessionbinaryid"), TABLE.column("name"),
                TABLE.column("importsequencenumber"), TABLE.column("createdon"), TABLE.column("statecode")));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void keysetPagesMatchTheWholeOrderWithEmptyValuesAscendingAndDescending(DatabaseKind kind) throws Exception {
        withRows(kind, (database, executor) -> {
            for (boolean descending : List.of(false, true)) {
                for (String[] keys : List.of(new String[] {"importsequencenumber"}, new String[] {"name"},
                        new String[] {"createdon", "name"}, new String[] {"flowsessionbinaryid"})) {
                    List<Order> order = new ArrayList<>();
                    for (String key : keys) {
                        order.add(new Order(column(key), descending));
                    }
                    Query query = all().withOrder(order);
                    List<UUID> whole = ids(database.inTransaction(tx -> executor.page(tx, query)).rows());
                    assertEquals(ROWS, whole.size());
                    List<UUID> walked = new ArrayList<>();
                    List<@Nullable Object> cursor = null;
                    for (int pages = 0; pages < ROWS; pages++) {
                        Query next = query.withLimit(3).withAfter(cursor);
                        Page page = database.inTransaction(tx -> executor.page(tx, next));
                        walked.addAll(ids(page.rows()));
                        if (!page.more()) {
                            break;
                        }
                        StoredRow last = page.rows().get(page.rows().size() - 1).row();
                        cursor = new ArrayList<>();
                        for (Order key : query.totalOrder()) {
                            cursor.add(last.value(key.column().label()));
                        }
                    }
                    assertEquals(whole, walked, String.join(",", keys) + (descending ? " desc" : ""));
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void conditionsCompareStringsIgnoringCaseAndPatternsLiterally(DatabaseKind kind) throws Exception {
        withRows(kind, (database, executor) -> {
            Query named = all().and(new Condition.Compare(column("name"), Condition.Comparator.EQ,
                    new Literal("NAME 1")));
            assertEquals(count(database, executor, named), (long) rows(database, executor, named).size());
            assertTrue(rows(database, executor, named).size() > 1);
            Query like = all().and(Condition.Like.startsWith(column("name"), "name_"));
            assertEquals(0, rows(database, executor, like).size());
            Query both = all().and(new Condition.Or(List.of(
                    new Condition.IsNull(column("name"), false),
                    new Condition.In(column("importsequencenumber"), List.of(new Literal(1), new Literal(2)), false))));
            for (ResultRow row : rows(database, executor, both)) {
                Object sequence = row.row().value("importsequencenumber");
                assertTrue(row.row().value("name") == null || Integer.valueOf(1).equals(sequence)
                        || Integer.valueOf(2).equals(sequence));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void countStopsOneAfterTheCap(DatabaseKind kind) throws Exception {
        withRows(kind, (database, executor) -> {
            long capped = database.inTransaction(tx -> executor.count(tx, all(), 10));
            long whole = database.inTransaction(tx -> executor.count(tx, all(), 5000));
            assertEquals(11L, capped);
            assertEquals(ROWS, whole);
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aggregatesAreComputedPerGroup(DatabaseKind kind) throws Exception {
        withRows(kind, (database, executor) -> {
            Query query = all().withColumns(List.of()).withAggregation(new Aggregation(List.of(column("statecode")),
                    List.of(new Aggregation.Aggregate(Aggregation.Function.COUNT_ROWS, null, "rows"),
                            new Aggregation.Aggregate(Aggregation.Function.COUNT, column("importsequencenumber"),
                                    "numbered"),
                            new Aggregation.Aggregate(Aggregation.Function.SUM, column("importsequencenumber"), "sum"),
                            new Aggregation.Aggregate(Aggregation.Function.MAX, column("importsequencenumber"), "max"),
                            new Aggregation.Aggregate(Aggregation.Function.COUNT_DISTINCT, column("name"), "names"))));
            List<StoredRow> groups = database.inTransaction(tx -> executor.aggregate(tx, query));
            assertEquals(2, groups.size());
            assertEquals(0, groups.get(0).value("statecode"));
            long rows = 0;
            long sum = 0;
            for (StoredRow group : groups) {
                rows += (Long) Objects.requireNonNull(group.value("rows"));
                sum += (Long) Objects.requireNonNull(group.value("sum"));
                int state = (Integer) Objects.requireNonNull(group.value("statecode"));
                int max = 0;
                for (int i = 0; i < ROWS; i++) {
                    if ((i % 3 == 0 ? 1 : 0) == state && i % 4 != 0) {
                        max = Math.max(max, i % 6);
                    }
                }
                assertEquals(max, group.value("max"));
            }
            assertEquals(ROWS, rows);
            long expected = 0;
            for (int i = 0; i < ROWS; i++) {
                expected += i % 4 == 0 ? 0 : i % 6;
            }
            assertEquals(expected, sum);
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void clientValuesAreParametersNeverSqlText(DatabaseKind kind) throws Exception {
        withRows(kind, (database, executor) -> {
            String hostile = "x'); DROP TABLE \"flowsessionbinary\"; --";
            Query query = all().and(new Condition.Compare(column("name"), Condition.Comparator.EQ,
                    new Literal(hostile))).and(Condition.Like.contains(column("name"), hostile));
            RenderedSql sql = executor.pageSql(query);
            assertFalse(sql.sql().contains("DROP"), sql.sql());
            assertEquals(0, rows(database, executor, query).size());
            assertEquals(ROWS, count(database, executor, all()));
        });
    }

    private static List<ResultRow> rows(Database database, QueryExecutor executor, Query query) {
        return database.inTransaction(tx -> executor.page(tx, query)).rows();
    }

    private static long count(Database database, QueryExecutor executor, Query query) {
        return database.inTransaction(tx -> executor.count(tx, query, 5000));
    }

    private static List<UUID> ids(List<ResultRow> rows) {
        List<UUID> ids = new ArrayList<>();
        for (ResultRow row : rows) {
            ids.add((UUID) Objects.requireNonNull(row.row().value("flowsessionbinaryid")));
        }
        return ids;
    }
}
