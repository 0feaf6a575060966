package io.flowbin.data.query;

import io.flowbin.data.Dialect;
import io.flowbin.data.RecordStore;
import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link Query queries} as single parameterised statements on a transaction: pages of rows with their
 * expansions, capped counts and aggregates. Nothing is filtered, sorted or counted in memory. Thread-safe.
 *
 * <p>Design note: pages continue from a keyset cursor, never an offset, so that page 1,000 costs what page 1 costs.
 * The cursor predicate repeats the order exactly (empty values lowest) and adds a range on the first sort key that an
 * index can seek to. When the first key is descending, empty values come last and are not in that range; they are
 * read by a second statement once the non-empty ones are exhausted. Where the database seeks row comparisons, a
 * cursor on one key and the primary key is a single {@code (key, id) < (?, ?)}.
 */
public final class QueryExecutor {
    /** Parent keys per statement when reading collection-valued expansions. */
    private static final int PARENTS_PER_STATEMENT = 500;

    private final Catalog catalog;
    private final Dialect dialect;

    public QueryExecutor(Catalog catalog, Dialect dialect) {
        this.catalog = catalog;
        this.dialect = dialect;
    }

    /** The statement reading the first (or only) part of a page; for plans and for the benchmark's baseline. */
    public RenderedSql pageSql(Query query) {
        return pageStatement(query, false).sql();
    }

    /** Reads one page: at most {@code limit} rows, and whether more follow. */
    public Page page(Transaction tx, Query query) throws SQLException {
        Integer limit = query.limit();
        List<ResultRow> rows = new ArrayList<>();
        PageStatement first = pageStatement(query, false);
        readRows(tx, first, limit == null ? null : limit + 1, rows);
        if (needsEmptyTail(query) && (limit == null || rows.size() <= limit)) {
            Integer remaining = limit == null ? null : limit + 1 - rows.size();
            readRows(tx, pageStatement(query, true), remaining, rows);
        }
        boolean more = limit != null && rows.size() > limit;
        List<ResultRow> page = more ? rows.subList(0, limit) : rows;
        if (!query.collections().isEmpty() && !page.isEmpty()) {
            page = withCollections(tx, query, page);
        }
        return new Page(page, more);
    }

    /** The statement counting the rows of a query up to {@code cap + 1}; for plans and the benchmark's baseline. */
    public RenderedSql countSql(Query query, int cap) {
        SqlWriter sql = new SqlWriter(catalog, dialect);
        sql.append("SELECT COUNT(*) FROM (SELECT 1 AS one").from(query).append(" WHERE ");
        sql.condition(query.where());
        sql.append(" LIMIT ").parameter(cap + 1).append(") counted");
        return sql.rendered();
    }

    /** How many rows match, counting no further than {@code cap + 1}. */
    public long count(Transaction tx, Query query, int cap) throws SQLException {
        try (PreparedStatement statement = prepare(tx, countSql(query, cap));
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The statement computing an aggregation; for plans and for the benchmark's baseline. */
    public RenderedSql aggregateSql(Query query) {
        Aggregation aggregation = Objects.requireNonNull(query.aggregation(), "not an aggregate query");
        SqlWriter sql = new SqlWriter(catalog, dialect);
        List<String> groups = new ArrayList<>();
        for (ColumnRef group : aggregation.groupBy()) {
            groups.add(sql.column(group));
        }
        List<String> selected = new ArrayList<>(groups);
        for (Aggregation.Aggregate aggregate : aggregation.aggregates()) {
            String column = aggregate.column() == null ? "" : sql.column(aggregate.column());
            selected.add(switch (aggregate.function()) {
                case COUNT_ROWS -> "COUNT(*)";
                case COUNT -> "COUNT(" + column + ")";
                case COUNT_DISTINCT -> "COUNT(DISTINCT " + column + ")";
                case SUM -> "SUM(" + column + ")";
                case AVERAGE -> dialect.averageOf(column);
                case MIN -> "MIN(" + column + ")";
                case MAX -> "MAX(" + column + ")";
            });
        }
        sql.append("SELECT ").append(String.join(", ", selected)).from(query).append(" WHERE ");
        sql.condition(query.where());
        if (!groups.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", groups));
            List<Order> order = new ArrayList<>(query.order());
            for (ColumnRef group : aggregation.groupBy()) {
                if (order.stream().noneMatch(item -> item.column().equals(group))) {
                    order.add(new Order(group, false));
                }
            }
            sql.orderBy(order, query.table(), List.of());
        }
        if (query.limit() != null) {
            sql.append(" LIMIT ").parameter(query.limit());
        }
        return sql.rendered();
    }

    /** Computes an aggregation: one row per group, values by group label and aggregate alias. */
    public List<StoredRow> aggregate(Transaction tx, Query query) throws SQLException {
        Aggregation aggregation = Objects.requireNonNull(query.aggregation(), "not an aggregate query");
        List<StoredRow> result = new ArrayList<>();
        try (PreparedStatement statement = prepare(tx, aggregateSql(query));
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Map<String, @Nullable Object> values = new LinkedHashMap<>();
                int index = 1;
                for (ColumnRef group : aggregation.groupBy()) {
                    values.put(group.label(), RecordStore.read(rows, index++, group.column().type()));
                }
                for (Aggregation.Aggregate aggregate : aggregation.aggregates()) {
                    values.put(aggregate.alias(), aggregateValue(rows, index++, aggregate));
                }
                result.add(new StoredRow(values, Map.of()));
            }
        }
        return result;
    }

    private static @Nullable Object aggregateValue(ResultSet rows, int index, Aggregation.Aggregate aggregate)
            throws SQLException {
        ColumnRef column = aggregate.column();
        return switch (aggregate.function()) {
            case COUNT_ROWS, COUNT, COUNT_DISTINCT -> rows.getLong(index);
            case MIN, MAX -> RecordStore.read(rows, index, Objects.requireNonNull(column).column().type());
            case SUM, AVERAGE -> {
                BigDecimal value = rows.getBigDecimal(index);
                if (value == null) {
                    yield null;
                }
                AttributeType type = Objects.requireNonNull(column).column().type();
                if (aggregate.function() == Aggregation.Function.SUM && isWhole(type)) {
                    yield value.longValueExact();
                }
                yield type == AttributeType.DOUBLE ? (Object) value.doubleValue() : value.stripTrailingZeros();
            }
        };
    }

    private static boolean isWhole(AttributeType type) {
        return type == AttributeType.INTEGER || type == AttributeType.BIGINT || type.isChoice();
    }

    // ---- pages ------------------------------------------------------------------------------------------------

    /** What a statement reads, in select-list order. */
    private record PageStatement(RenderedSql sql, List<ColumnRef> columns, List<ColumnRef> named,
            List<List<ExpansionColumns>> expansions) {}

    /** The join of one expansion target, and the condition its rows must meet to be shown. */
    private record ExpansionJoin(String text, Condition visible) {}

    /** The columns one target of an expansion contributes to the select list. */
    private record ExpansionColumns(Expansion expansion, Expansion.Target target) {}

    private boolean needsEmptyTail(Query query) {
        List<@Nullable Object> after = query.after();
        List<Order> order = query.totalOrder();
        return after != null && !order.isEmpty() && order.get(0).descending() && after.get(0) != null
                && !isPrimaryKey(query.table(), order.get(0).column());
    }

    private static boolean isPrimaryKey(TableDefinition table, ColumnRef ref) {
        return ref.alias().equals(Query.ROOT) && ref.column().logicalName().equals(table.primaryIdAttribute());
    }

    private PageStatement pageStatement(Query query, boolean emptyTail) {
        SqlWriter sql = new SqlWriter(catalog, dialect);
        List<String> selected = new ArrayList<>();
        for (ColumnRef column : query.columns()) {
            selected.add(sql.column(column));
        }
        List<ColumnRef> named = new ArrayList<>();
        if (query.withLookupNames()) {
            for (ColumnRef column : query.columns()) {
                String name = sql.lookupName(column);
                if (name != null) {
                    selected.add(name);
                    named.add(column);
                }
            }
        }
        List<List<ExpansionColumns>> expansionColumns = new ArrayList<>();
        List<ExpansionJoin> expansionJoins = new ArrayList<>();
        for (int i = 0; i < query.expansions().size(); i++) {
            Expansion expansion = query.expansions().get(i);
            List<ExpansionColumns> targets = new ArrayList<>();
            for (int k = 0; k < expansion.targets().size(); k++) {
                Expansion.Target target = expansion.targets().get(k);
                String alias = Expansion.alias(i, k);
                for (ColumnDefinition column : target.columns()) {
                    selected.add(sql.column(ColumnRef.of(alias, column)));
                }
                targets.add(new ExpansionColumns(expansion, target));
                expansionJoins.add(new ExpansionJoin(" LEFT JOIN " + sql.quote(target.table().logicalName()) + " "
                        + sql.quote(alias) + " ON " + sql.quote(alias) + "."
                        + sql.quote(target.table().primaryIdAttribute()) + " = "
                        + sql.column(ColumnRef.root(expansion.lookup())), target.visible()));
            }
            expansionColumns.add(targets);
        }
        if (query.distinct()) {
            // DISTINCT needs its sort keys in the select list; a case-folded key adds no distinct rows
            for (Order key : query.totalOrder()) {
                String sortKey = sql.sortKey(key.column());
                if (!selected.contains(sortKey)) {
                    selected.add(sortKey);
                }
            }
        }
        sql.append(query.distinct() ? "SELECT DISTINCT " : "SELECT ").append(String.join(", ", selected)).from(query);
        for (ExpansionJoin join : expansionJoins) {
            sql.append(join.text());
            if (!Condition.TRUE.equals(join.visible())) {
                sql.append(" AND (");
                sql.condition(join.visible());
                sql.append(")");
            }
        }
        sql.append(" WHERE ");
        sql.condition(query.where());
        List<Order> order = query.totalOrder();
        List<@Nullable Object> after = query.after();
        if (after != null) {
            if (after.size() != order.size()) {
                throw new IllegalArgumentException("The cursor has " + after.size() + " values for " + order.size()
                        + " sort keys");
            }
            sql.append(" AND ");
            if (emptyTail) {
                sql.append(sql.column(order.get(0).column()) + " IS NULL");
            } else {
                keyset(sql, query.table(), order, after);
            }
        }
        sql.orderBy(emptyTail ? order.subList(1, order.size()) : order, query.table(),
                query.distinct() ? List.of() : SqlWriter.fixedColumns(query.where()));
        if (query.limit() != null) {
            sql.append(" LIMIT ").parameter(query.limit() + 1);
        }
        if (query.offset() > 0) {
            sql.append(" OFFSET ").parameter(query.offset());
        }
        return new PageStatement(sql.rendered(), query.columns(), named, expansionColumns);
    }

    /**
     * Rows after the cursor in the total order: a seekable range on the first key, then for each key position the
     * rows equal on all earlier keys and after the cursor on this one.
     */
    private void keyset(SqlWriter sql, TableDefinition table, List<Order> order, List<@Nullable Object> after) {
        Order first = order.get(0);
        Object firstValue = after.get(0);
        String firstKey = sql.sortKey(first.column());
        if (dialect.seeksRowComparisons() && order.size() == 2 && firstValue != null
                && isPrimaryKey(table, order.get(1).column()) && first.descending() == order.get(1).descending()
                && firstKey.equals(sql.column(first.column()))) {
            // one key and the primary key in the same direction: the row comparison is exact here (empty values of
            // the first key are excluded and come in the second statement) and the index seeks to it
            sql.append("(").append(firstKey).append(", ").append(sql.column(order.get(1).column())).append(")")
                    .append(first.descending() ? " < (" : " > (").parameter(firstValue).append(", ")
                    .parameter(Objects.requireNonNull(after.get(1))).append(")");
            return;
        }
        sql.append("(");
        if (firstValue != null) {
            sql.append(firstKey).append(first.descending() ? " <= " : " >= ").sortValue(first.column(), firstValue)
                    .append(" AND ");
        } else if (first.descending()) {
            sql.append(sql.column(first.column())).append(" IS NULL AND ");
        }
        sql.append("(");
        for (int position = 0; position < order.size(); position++) {
            sql.append(position == 0 ? "(" : " OR (");
            for (int earlier = 0; earlier < position; earlier++) {
                ColumnRef column = order.get(earlier).column();
                Object value = after.get(earlier);
                if (value == null) {
                    sql.append(sql.column(column)).append(" IS NULL AND ");
                } else {
                    sql.append(sql.sortKey(column)).append(" = ").sortValue(column, value).append(" AND ");
                }
            }
            Order key = order.get(position);
            Object value = after.get(position);
            String column = sql.column(key.column());
            String sortKey = sql.sortKey(key.column());
            if (value == null) {
                sql.append(key.descending() ? "1 = 0" : column + " IS NOT NULL");
            } else if (key.descending() && !isPrimaryKey(table, key.column()) && position > 0) {
                sql.append("(").append(sortKey).append(" < ").sortValue(key.column(), value).append(" OR ")
                        .append(column).append(" IS NULL)");
            } else {
                sql.append(sortKey).append(key.descending() ? " < " : " > ").sortValue(key.column(), value);
            }
            sql.append(")");
        }
        sql.append("))");
    }

    private void readRows(Transaction tx, PageStatement statement, @Nullable Integer most, List<ResultRow> into)
            throws SQLException {
        if (most != null && most <= 0) {
            return;
        }
        try (PreparedStatement prepared = prepare(tx, statement.sql())) {
            if (most != null) {
                prepared.setFetchSize(Math.min(most, 1000));
            }
            try (ResultSet rows = prepared.executeQuery()) {
                while (rows.next()) {
                    into.add(readRow(rows, statement));
                }
            }
        }
    }

    private static ResultRow readRow(ResultSet rows, PageStatement statement) throws SQLException {
        int index = 1;
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (ColumnRef column : statement.columns()) {
            values.put(column.label(), RecordStore.read(rows, index++, column.column().type()));
        }
        Map<String, String> names = new HashMap<>();
        for (ColumnRef column : statement.named()) {
            String name = rows.getString(index++);
            if (name != null) {
                names.put(column.label(), name);
            }
        }
        Map<String, ResultRow.Expanded> expanded = new HashMap<>();
        for (List<ExpansionColumns> targets : statement.expansions()) {
            for (ExpansionColumns target : targets) {
                Map<String, @Nullable Object> related = new LinkedHashMap<>();
                for (ColumnDefinition column : target.target().columns()) {
                    related.put(column.logicalName(), RecordStore.read(rows, index++, column.type()));
                }
                if (related.get(target.target().table().primaryIdAttribute()) != null) {
                    expanded.put(target.expansion().name(),
                            new ResultRow.Expanded(target.target().table(), new StoredRow(related, Map.of())));
                }
            }
        }
        return new ResultRow(new StoredRow(values, names), expanded, Map.of());
    }

    // ---- collection-valued expansions ----------------------------------------------------------------------------

    private List<ResultRow> withCollections(Transaction tx, Query query, List<ResultRow> page) throws SQLException {
        String key = query.table().primaryIdAttribute();
        List<UUID> parents = new ArrayList<>();
        for (ResultRow row : page) {
            if (row.row().value(key) instanceof UUID id) {
                parents.add(id);
            }
        }
        Map<UUID, Map<String, List<StoredRow>>> children = new HashMap<>();
        for (CollectionExpansion collection : query.collections()) {
            for (int from = 0; from < parents.size(); from += PARENTS_PER_STATEMENT) {
                List<UUID> batch = parents.subList(from, Math.min(parents.size(), from + PARENTS_PER_STATEMENT));
                readChildren(tx, collection, batch, children);
            }
        }
        List<ResultRow> result = new ArrayList<>(page.size());
        for (ResultRow row : page) {
            Map<String, List<StoredRow>> collections = new HashMap<>();
            Map<String, List<StoredRow>> found = row.row().value(key) instanceof UUID id ? children.get(id) : null;
            for (CollectionExpansion collection : query.collections()) {
                collections.put(collection.name(), found == null
                        ? List.of() : found.getOrDefault(collection.name(), List.of()));
            }
            result.add(new ResultRow(row.row(), row.expanded(), collections));
        }
        return result;
    }

    private void readChildren(Transaction tx, CollectionExpansion collection, List<UUID> parents,
            Map<UUID, Map<String, List<StoredRow>>> into) throws SQLException {
        Query child = collection.child();
        SqlWriter sql = new SqlWriter(catalog, dialect);
        ColumnRef parent = ColumnRef.root(collection.parentLookup());
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < child.columns().size(); i++) {
            selected.add(sql.column(child.columns().get(i)) + " AS " + sql.quote("c" + i));
        }
        selected.add(sql.column(parent) + " AS " + sql.quote("parent_key"));
        SqlWriter ordered = new SqlWriter(catalog, dialect).orderBy(child.totalOrder(), child.table(), List.of());
        selected.add("ROW_NUMBER() OVER (PARTITION BY " + sql.column(parent) + ordered.rendered().sql() + ") AS "
                + sql.quote("row_number"));
        sql.append("SELECT * FROM (SELECT ").append(String.join(", ", selected)).from(child).append(" WHERE ")
                .append(sql.column(parent)).append(" IN (");
        for (int i = 0; i < parents.size(); i++) {
            sql.append(i == 0 ? "" : ", ").parameter(parents.get(i));
        }
        sql.append(") AND (");
        sql.condition(child.where());
        sql.append(")) numbered");
        if (child.limit() != null) {
            sql.append(" WHERE numbered.").append(sql.quote("row_number")).append(" <= ").parameter(child.limit());
        }
        sql.append(" ORDER BY numbered.").append(sql.quote("parent_key")).append(", numbered.")
                .append(sql.quote("row_number"));
        try (PreparedStatement statement = prepare(tx, sql.rendered()); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Map<String, @Nullable Object> values = new LinkedHashMap<>();
                int index = 1;
                for (ColumnRef column : child.columns()) {
                    values.put(column.label(), RecordStore.read(rows, index++, column.column().type()));
                }
                UUID parentId = rows.getObject(index, UUID.class);
                into.computeIfAbsent(parentId, id -> new HashMap<>())
                        .computeIfAbsent(collection.name(), name -> new ArrayList<>())
                        .add(new StoredRow(values, Map.of()));
            }
        }
    }

    private static PreparedStatement prepare(Transaction tx, RenderedSql sql) throws SQLException {
        PreparedStatement statement = tx.connection().prepareStatement(sql.sql());
        try {
            for (int i = 0; i < sql.parameters().size(); i++) {
                statement.setObject(i + 1, sql.parameters().get(i));
            }
            return statement;
        } catch (SQLException | RuntimeException failure) {
            statement.close();
            throw failure;
        }
    }
}
