package io.flowbin.odata;

import io.flowbin.data.StoredRow;
import io.flowbin.data.query.Aggregation;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Join;
import io.flowbin.data.query.Order;
import io.flowbin.data.query.Query;
import io.flowbin.messages.RetrieveMultipleMessage;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceCount;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.ApplyItem;
import org.apache.olingo.server.api.uri.queryoption.ApplyOption;
import org.apache.olingo.server.api.uri.queryoption.OrderByItem;
import org.apache.olingo.server.api.uri.queryoption.apply.Aggregate;
import org.apache.olingo.server.api.uri.queryoption.apply.AggregateExpression;
import org.apache.olingo.server.api.uri.queryoption.apply.Filter;
import org.apache.olingo.server.api.uri.queryoption.apply.GroupBy;
import org.apache.olingo.server.api.uri.queryoption.apply.GroupByItem;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;

/**
 * {@code $apply}: {@code filter(…)}, {@code groupby((columns)[,aggregate(…)])} and {@code aggregate(…)} with
 * {@code $count}, {@code sum}, {@code average}, {@code min}, {@code max} and {@code countdistinct}, computed in SQL.
 * A grouping column may be a path through a lookup ({@code flowsessionid/name}), returned as
 * {@code <table>_<column>}. Thread-safe.
 */
final class Aggregates {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

    private final Catalog catalog;
    private final QueryFunctions functions;
    private final RetrieveMultipleMessage retrieveMultiple;
    private final CollectionWriter writer;

    Aggregates(Catalog catalog, QueryFunctions functions, RetrieveMultipleMessage retrieveMultiple,
            CollectionWriter writer) {
        this.catalog = catalog;
        this.functions = functions;
        this.retrieveMultiple = retrieveMultiple;
        this.writer = writer;
    }

    ODataResponse handle(ODataRequest request, UriInfo info, TableDefinition table) {
        if (info.getSelectOption() != null || info.getExpandOption() != null || info.getSkipTokenOption() != null
                || (info.getCountOption() != null && info.getCountOption().getValue())) {
            throw QueryErrors.notSupported("$select, $expand, $count or $skiptoken together with $apply");
        }
        Query query = Query.of(table, List.of());
        if (info.getFilterOption() != null) {
            query = query.and(FilterTranslator.translate(catalog, functions, table,
                    info.getFilterOption().getExpression(), CollectionRequests.aliases(info), request.caller()));
        }
        List<ColumnRef> groups = new ArrayList<>();
        List<Aggregation.Aggregate> values = new ArrayList<>();
        Map<String, ColumnDefinition> lookups = new HashMap<>();
        query = items(request, info, table, query, info.getApplyOption(), groups, values, lookups);
        if (groups.isEmpty() && values.isEmpty()) {
            throw QueryErrors.invalid("$apply needs groupby or aggregate.");
        }
        query = query.withAggregation(new Aggregation(groups, values)).withOrder(order(info, groups));
        if (info.getTopOption() != null) {
            query = query.withLimit(RetrieveLimits.top(info.getTopOption().getValue()));
        }
        List<StoredRow> rows = retrieveMultiple.aggregate(query, request.caller());
        CollectionWriter.Envelope envelope = new CollectionWriter.Envelope(
                request.serviceRoot() + "$metadata#" + table.entitySetName(), Map.of(), null);
        return ODataResponse.json(200, out -> writer.aggregates(out, envelope, rows, lookups));
    }

    private Query items(ODataRequest request, UriInfo info, TableDefinition table, Query query, ApplyOption apply,
            List<ColumnRef> groups, List<Aggregation.Aggregate> values, Map<String, ColumnDefinition> lookups) {
        Query result = query;
        for (ApplyItem item : apply.getApplyItems()) {
            if (!groups.isEmpty() || !values.isEmpty()) {
                throw QueryErrors.notSupported("A transformation after groupby or aggregate in $apply");
            }
            switch (item) {
                case Filter filter -> result = result.and(FilterTranslator.translate(catalog, functions, table,
                        filter.getFilterOption().getExpression(), CollectionRequests.aliases(info),
                        request.caller()));
                case GroupBy groupBy -> {
                    for (GroupByItem group : groupBy.getGroupByItems()) {
                        result = group(table, result, group, groups, lookups);
                    }
                    if (groupBy.getApplyOption() != null) {
                        for (ApplyItem inner : groupBy.getApplyOption().getApplyItems()) {
                            if (!(inner instanceof Aggregate aggregate)) {
                                throw QueryErrors.notSupported("Only aggregate inside groupby");
                            }
                            aggregate(table, aggregate, values, groups);
                        }
                    }
                }
                case Aggregate aggregate -> aggregate(table, aggregate, values, groups);
                default -> throw QueryErrors.notSupported("The $apply transformation '"
                        + item.getKind().toString().toLowerCase(java.util.Locale.ROOT) + "'");
            }
        }
        return result;
    }

    private Query group(TableDefinition table, Query query, GroupByItem group, List<ColumnRef> groups,
            Map<String, ColumnDefinition> lookups) {
        List<UriResource> path = group.getPath();
        if (group.isRollupAll() || !group.getRollup().isEmpty()) {
            throw QueryErrors.notSupported("rollup in groupby");
        }
        if (path.size() == 1 && path.get(0) instanceof UriResourcePrimitiveProperty property) {
            ColumnDefinition column = Ordering.column(catalog, table, property.getProperty().getName());
            checkGroupable(column);
            if (column.type().isReference()) {
                lookups.put(column.logicalName(), column);
            }
            groups.add(ColumnRef.root(column));
            return query;
        }
        if (path.size() == 2 && path.get(0) instanceof UriResourceNavigation navigation
                && path.get(1) instanceof UriResourcePrimitiveProperty property) {
            NavigationProperty nav = catalog.navigationProperties(table).get(navigation.getProperty().getName());
            if (nav == null || nav.collection() || nav.targets().size() != 1) {
                throw QueryErrors.notSupported("Grouping through '" + navigation.getProperty().getName() + "'");
            }
            TableDefinition target = Objects.requireNonNull(catalog.table(nav.targets().get(0)));
            ColumnDefinition column = Ordering.column(catalog, target, property.getProperty().getName());
            checkGroupable(column);
            String alias = "g" + (query.joins().size() + 1);
            ColumnDefinition lookup = Objects.requireNonNull(table.column(nav.column()));
            Query joined = query.withJoin(new Join(target, alias,
                    Objects.requireNonNull(target.column(target.primaryIdAttribute())), ColumnRef.root(lookup), true,
                    Condition.TRUE));
            groups.add(new ColumnRef(alias, column, target.logicalName() + "_" + column.logicalName()));
            return joined;
        }
        throw QueryErrors.notSupported("This groupby path");
    }

    private static void checkGroupable(ColumnDefinition column) {
        if (column.type() == AttributeType.DATETIME) {
            throw QueryErrors.notSupported("Grouping by the date and time column '" + column.logicalName() + "'");
        }
    }

    private void aggregate(TableDefinition table, Aggregate aggregate, List<Aggregation.Aggregate> values,
            List<ColumnRef> groups) {
        for (AggregateExpression expression : aggregate.getExpressions()) {
            String alias = expression.getAlias();
            if (alias == null || !ALIAS.matcher(alias).matches()) {
                throw QueryErrors.invalid("Each aggregate needs an alias ('as name'), a plain name.");
            }
            boolean taken = values.stream().anyMatch(value -> value.alias().equals(alias))
                    || groups.stream().anyMatch(group -> group.label().equals(alias));
            if (taken) {
                throw QueryErrors.invalid("The alias '" + alias + "' is used twice.");
            }
            if (expression.getPath() != null && expression.getPath().size() == 1
                    && expression.getPath().get(0) instanceof UriResourceCount) {
                values.add(new Aggregation.Aggregate(Aggregation.Function.COUNT_ROWS, null, alias));
                continue;
            }
            if (expression.getStandardMethod() == null || !(expression.getExpression() instanceof Member member)
                    || member.getResourcePath().getUriResourceParts().size() != 1
                    || !(member.getResourcePath().getUriResourceParts().get(0)
                            instanceof UriResourcePrimitiveProperty property)) {
                throw QueryErrors.notSupported("This aggregate expression");
            }
            ColumnDefinition column = Ordering.column(catalog, table, property.getProperty().getName());
            Aggregation.Function function = switch (expression.getStandardMethod()) {
                case SUM -> Aggregation.Function.SUM;
                case AVERAGE -> Aggregation.Function.AVERAGE;
                case MIN -> Aggregation.Function.MIN;
                case MAX -> Aggregation.Function.MAX;
                case COUNT_DISTINCT -> Aggregation.Function.COUNT_DISTINCT;
            };
            boolean numeric = switch (column.type()) {
                case INTEGER, BIGINT, DECIMAL, DOUBLE, MONEY -> true;
                default -> false;
            };
            if ((function == Aggregation.Function.SUM || function == Aggregation.Function.AVERAGE) && !numeric) {
                throw QueryErrors.invalid("The aggregate '" + expression.getStandardMethod().toString()
                        .toLowerCase(java.util.Locale.ROOT) + "' needs a numeric column; '" + column.logicalName()
                        + "' is " + column.type().pageName() + ".");
            }
            values.add(new Aggregation.Aggregate(function, ColumnRef.root(column), alias));
        }
    }

    /** {@code $orderby} with {@code $apply} may name grouping columns only, as in Dataverse. */
    private static List<Order> order(UriInfo info, List<ColumnRef> groups) {
        if (info.getOrderByOption() == null) {
            return List.of();
        }
        List<Order> order = new ArrayList<>();
        for (OrderByItem item : info.getOrderByOption().getOrders()) {
            ColumnRef match = null;
            if (item.getExpression() instanceof Member member
                    && member.getResourcePath().getUriResourceParts().size() == 1) {
                String name = member.getResourcePath().getUriResourceParts().get(0).getSegmentValue();
                String lookup = PropertyNames.lookupColumnOf(name);
                String column = lookup != null ? lookup : name;
                for (ColumnRef group : groups) {
                    if (group.alias().equals(Query.ROOT) && group.column().logicalName().equals(column)) {
                        match = group;
                    }
                }
            }
            if (match == null) {
                throw QueryErrors.invalid("The query node SingleValueOpenPropertyAccess is not supported");
            }
            order.add(new Order(match, item.isDescending()));
        }
        return order;
    }
}
