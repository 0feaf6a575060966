package io.flowbin.data.query;

import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A read query on one table, built by the protocol layer and rendered to SQL by {@link QueryExecutor}. Immutable;
 * the {@code with…} methods return changed copies.
 *
 * <p>Conditions are only ever added, through {@link #and(Condition)}: a restriction added by one layer (a row filter
 * for the caller's access, say) stays in force whatever another layer adds.
 *
 * @param columns the columns returned, of the queried table ({@link #ROOT}) or of joined tables
 * @param order the requested sort keys; {@link #totalOrder()} adds the primary key so that the order is total
 * @param limit the most rows returned, or null for no limit
 * @param offset rows skipped before the first returned one (FetchXML page numbers without a paging cookie only)
 * @param after a keyset cursor: the {@link #totalOrder()} values of the last row already returned, or null
 * @param distinct return each distinct combination of the columns once
 * @param withLookupNames also read the primary name of the row each returned lookup points at (formatted values)
 */
public record Query(
        TableDefinition table,
        List<ColumnRef> columns,
        List<Join> joins,
        Condition where,
        List<Order> order,
        @Nullable Integer limit,
        int offset,
        @Nullable List<@Nullable Object> after,
        boolean distinct,
        boolean withLookupNames,
        List<Expansion> expansions,
        List<CollectionExpansion> collections,
        @Nullable Aggregation aggregation) {

    /** The SQL alias of the queried table. */
    public static final String ROOT = "t";

    public Query {
        columns = List.copyOf(columns);
        joins = List.copyOf(joins);
        order = List.copyOf(order);
        after = after == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(after));
        expansions = List.copyOf(expansions);
        collections = List.copyOf(collections);
    }

    /** All rows of a table, these columns, in primary key order. */
    public static Query of(TableDefinition table, List<ColumnDefinition> columns) {
        return new Query(table, columns.stream().map(ColumnRef::root).toList(), List.of(), Condition.TRUE, List.of(),
                null, 0, null, false, false, List.of(), List.of(), null);
    }

    /** This query with one more condition that rows must meet. */
    public Query and(Condition condition) {
        return new Query(table, columns, joins, Condition.and(where, condition), order, limit, offset, after, distinct,
                withLookupNames, expansions, collections, aggregation);
    }

    public Query withColumns(List<ColumnRef> newColumns) {
        return new Query(table, newColumns, joins, where, order, limit, offset, after, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    public Query withJoin(Join join) {
        List<Join> newJoins = new ArrayList<>(joins);
        newJoins.add(join);
        return new Query(table, columns, newJoins, where, order, limit, offset, after, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    /** This query with other joins (the same tables, say, each narrowed by a further condition). */
    public Query withJoins(List<Join> newJoins) {
        return new Query(table, columns, newJoins, where, order, limit, offset, after, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    /**
     * This query with another condition in place of its own: only for rewriting the condition into an equivalent
     * or stricter one (correlated tables narrowed further), never to drop a restriction.
     */
    public Query withWhere(Condition newWhere) {
        return new Query(table, columns, joins, newWhere, order, limit, offset, after, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    public Query withOrder(List<Order> newOrder) {
        return new Query(table, columns, joins, where, newOrder, limit, offset, after, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    public Query withLimit(@Nullable Integer newLimit) {
        return new Query(table, columns, joins, where, order, newLimit, offset, after, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    public Query withOffset(int newOffset) {
        return new Query(table, columns, joins, where, order, limit, newOffset, after, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    public Query withAfter(@Nullable List<@Nullable Object> cursor) {
        return new Query(table, columns, joins, where, order, limit, offset, cursor, distinct, withLookupNames,
                expansions, collections, aggregation);
    }

    public Query withDistinct(boolean newDistinct) {
        return new Query(table, columns, joins, where, order, limit, offset, after, newDistinct, withLookupNames,
                expansions, collections, aggregation);
    }

    public Query withLookupNames(boolean names) {
        return new Query(table, columns, joins, where, order, limit, offset, after, distinct, names, expansions,
                collections, aggregation);
    }

    public Query withExpansions(List<Expansion> newExpansions, List<CollectionExpansion> newCollections) {
        return new Query(table, columns, joins, where, order, limit, offset, after, distinct, withLookupNames,
                newExpansions, newCollections, aggregation);
    }

    public Query withAggregation(@Nullable Aggregation newAggregation) {
        return new Query(table, columns, joins, where, order, limit, offset, after, distinct, withLookupNames,
                expansions, collections, newAggregation);
    }

    /**
     * The sort keys with the primary key appended (in the direction of the last key) unless it is already there:
     * a total order, which keyset paging needs. A distinct query keeps its own keys, as the key is not among its
     * columns.
     */
    public List<Order> totalOrder() {
        ColumnDefinition key = Objects.requireNonNull(table.column(table.primaryIdAttribute()),
                () -> "table " + table.logicalName() + " has no primary key column");
        boolean hasKey = order.stream().anyMatch(item -> item.column().alias().equals(ROOT)
                && item.column().column().logicalName().equals(key.logicalName()));
        if (hasKey || distinct) {
            return order;
        }
        List<Order> total = new ArrayList<>(order);
        total.add(new Order(ColumnRef.root(key), !order.isEmpty() && order.get(order.size() - 1).descending()));
        return List.copyOf(total);
    }
}
