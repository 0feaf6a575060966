package io.flowbin.data.query;

import io.flowbin.data.Dialect;
import io.flowbin.data.LookupNames;
import io.flowbin.data.query.Condition.And;
import io.flowbin.data.query.Condition.Between;
import io.flowbin.data.query.Condition.Compare;
import io.flowbin.data.query.Condition.Constant;
import io.flowbin.data.query.Condition.Exists;
import io.flowbin.data.query.Condition.HasBit;
import io.flowbin.data.query.Condition.In;
import io.flowbin.data.query.Condition.IsNull;
import io.flowbin.data.query.Condition.Like;
import io.flowbin.data.query.Condition.Not;
import io.flowbin.data.query.Condition.Or;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Writes one statement: SQL text with {@code ?} placeholders and the values bound to them. Every name comes from the
 * metadata and passes {@link Dialect#quote(String)}; every client value is a parameter. Not thread-safe: one per
 * statement.
 */
final class SqlWriter {
    private final Catalog catalog;
    private final Dialect dialect;
    private final StringBuilder sql = new StringBuilder(256);
    private final List<Object> parameters = new ArrayList<>();

    SqlWriter(Catalog catalog, Dialect dialect) {
        this.catalog = catalog;
        this.dialect = dialect;
    }

    RenderedSql rendered() {
        return new RenderedSql(sql.toString(), parameters);
    }

    SqlWriter append(String text) {
        sql.append(text);
        return this;
    }

    SqlWriter parameter(Object value) {
        sql.append('?');
        parameters.add(value);
        return this;
    }

    String quote(String identifier) {
        return dialect.quote(identifier);
    }

    String column(ColumnRef ref) {
        return quote(ref.alias()) + "." + quote(ref.column().logicalName());
    }

    SqlWriter from(Query query) {
        sql.append(" FROM ").append(quote(query.table().logicalName())).append(' ').append(quote(Query.ROOT));
        for (Join join : query.joins()) {
            sql.append(join.outer() ? " LEFT JOIN " : " JOIN ").append(quote(join.table().logicalName())).append(' ')
                    .append(quote(join.alias())).append(" ON ").append(quote(join.alias())).append('.')
                    .append(quote(join.column().logicalName())).append(" = ").append(column(join.to()));
            if (!Condition.TRUE.equals(join.on())) {
                sql.append(" AND ");
                condition(join.on());
            }
        }
        return this;
    }

    /**
     * The ORDER BY keys, empty values lowest (first ascending, last descending), strings ignoring case as Dataverse
     * sorts them. The primary key of the queried
     * table, never empty, has no null ordering, as in its index. {@code fixed} columns, which the condition holds
     * equal to one value, lead the keys: the order stays the same, and H2 then reads an index that starts with them
     * in order instead of sorting (PostgreSQL drops such keys itself).
     */
    SqlWriter orderBy(List<Order> order, TableDefinition table, List<ColumnRef> fixed) {
        List<Order> keys = new ArrayList<>();
        for (ColumnRef column : fixed) {
            if (order.stream().noneMatch(item -> item.column().equals(column))) {
                keys.add(new Order(column, false));
            }
        }
        keys.addAll(order);
        if (keys.isEmpty()) {
            return this;
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            Order item = keys.get(i);
            sql.append(i == 0 ? "" : ", ").append(sortKey(item.column()));
            boolean key = item.column().alias().equals(Query.ROOT)
                    && item.column().column().logicalName().equals(table.primaryIdAttribute());
            if (key) {
                sql.append(item.descending() ? " DESC" : "");
            } else {
                sql.append(item.descending() ? " DESC NULLS LAST" : " ASC NULLS FIRST");
            }
        }
        return this;
    }

    /** The expression a column sorts by: strings case-folded, as they compare. */
    String sortKey(ColumnRef ref) {
        return isText(ref.column().type()) ? dialect.caseFolded(column(ref)) : column(ref);
    }

    /** A cursor value compared with {@link #sortKey(ColumnRef)}: folded by the database in the same way. */
    SqlWriter sortValue(ColumnRef ref, Object value) {
        if (isText(ref.column().type())) {
            sql.append(dialect.caseFolded("?"));
            parameters.add(value);
            return this;
        }
        return parameter(value);
    }

    /** The columns of the queried table that the condition holds equal to one value (not text, which folds case). */
    static List<ColumnRef> fixedColumns(Condition where) {
        List<Condition> conjuncts = where instanceof And and ? and.conditions() : List.of(where);
        List<ColumnRef> fixed = new ArrayList<>();
        for (Condition conjunct : conjuncts) {
            if (conjunct instanceof Compare compare && compare.comparator() == Condition.Comparator.EQ) {
                ColumnRef column = compare.left() instanceof ColumnRef left && compare.right() instanceof Literal
                        ? left
                        : compare.right() instanceof ColumnRef right && compare.left() instanceof Literal ? right : null;
                if (column != null && column.alias().equals(Query.ROOT) && !isText(column.column().type())
                        && !fixed.contains(column)) {
                    fixed.add(column);
                }
            }
        }
        return fixed;
    }

    /** An expression giving the primary name of the row a lookup points at, or null when no target has one. */
    @Nullable String lookupName(ColumnRef lookup) {
        return LookupNames.expression(catalog, dialect, lookup.column(), column(lookup));
    }

    void condition(Condition condition) {
        switch (condition) {
            case Constant constant -> sql.append(constant.value() ? "1 = 1" : "1 = 0");
            case And and -> junction(and.conditions(), " AND ", true);
            case Or or -> junction(or.conditions(), " OR ", false);
            case Not not -> {
                sql.append("NOT (");
                condition(not.condition());
                sql.append(')');
            }
            case Compare compare -> {
                operand(compare.left(), foldsCase(compare.left(), compare.right()));
                sql.append(' ').append(compare.comparator().sql()).append(' ');
                operand(compare.right(), foldsCase(compare.left(), compare.right()));
            }
            case IsNull isNull -> sql.append(column(isNull.column()))
                    .append(isNull.negated() ? " IS NOT NULL" : " IS NULL");
            case Like like -> {
                sql.append(dialect.caseFolded(column(like.column()))).append(like.negated() ? " NOT LIKE " : " LIKE ");
                parameter(like.pattern().toLowerCase(Locale.ROOT)).append(" ESCAPE '\\'");
            }
            case In in -> in(in);
            // integer division and MOD mean the same on both databases; the bit is a constant, not client text
            case HasBit hasBit -> sql.append("MOD(").append(column(hasBit.column())).append(" / ")
                    .append(hasBit.bit()).append(", 2) = 1");
            case Between between -> {
                boolean fold = foldsCase(between.operand(), between.low());
                operand(between.operand(), fold);
                sql.append(between.negated() ? " NOT BETWEEN " : " BETWEEN ");
                operand(between.low(), fold);
                sql.append(" AND ");
                operand(between.high(), fold);
            }
            case Exists exists -> {
                sql.append("EXISTS (SELECT 1 FROM ").append(quote(exists.table().logicalName())).append(' ')
                        .append(quote(exists.alias())).append(" WHERE ").append(quote(exists.alias())).append('.')
                        .append(quote(exists.innerColumn().logicalName())).append(" = ")
                        .append(column(exists.outer()));
                if (!Condition.TRUE.equals(exists.where())) {
                    sql.append(" AND (");
                    condition(exists.where());
                    sql.append(')');
                }
                sql.append(')');
            }
        }
    }

    private void in(In in) {
        if (in.values().isEmpty()) {
            sql.append(in.negated() ? "1 = 1" : "1 = 0");
            return;
        }
        boolean fold = foldsCase(in.operand(), in.values().get(0));
        operand(in.operand(), fold);
        sql.append(in.negated() ? " NOT IN (" : " IN (");
        for (int i = 0; i < in.values().size(); i++) {
            sql.append(i == 0 ? "" : ", ");
            operand(in.values().get(i), fold);
        }
        sql.append(')');
    }

    private void junction(List<Condition> conditions, String operator, boolean emptyValue) {
        if (conditions.isEmpty()) {
            sql.append(emptyValue ? "1 = 1" : "1 = 0");
            return;
        }
        sql.append('(');
        for (int i = 0; i < conditions.size(); i++) {
            sql.append(i == 0 ? "" : operator);
            condition(conditions.get(i));
        }
        sql.append(')');
    }

    private void operand(Operand operand, boolean fold) {
        switch (operand) {
            case ColumnRef ref -> sql.append(fold ? dialect.caseFolded(column(ref)) : column(ref));
            case Literal literal -> parameter(fold && literal.value() instanceof String text
                    ? text.toLowerCase(Locale.ROOT) : literal.value());
        }
    }

    /** String comparisons ignore case, as Dataverse's collation does. */
    private static boolean foldsCase(Operand left, Operand right) {
        return isText(left) || isText(right);
    }

    private static boolean isText(Operand operand) {
        return switch (operand) {
            case ColumnRef ref -> isText(ref.column().type());
            case Literal literal -> false;
        };
    }

    static boolean isText(AttributeType type) {
        return type == AttributeType.STRING || type == AttributeType.MEMO || type == AttributeType.ENTITYNAME;
    }
}
