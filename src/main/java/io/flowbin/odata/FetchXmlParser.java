package io.flowbin.odata;

import io.flowbin.data.query.Aggregation;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Join;
import io.flowbin.data.query.Order;
import io.flowbin.data.query.Query;
import io.flowbin.error.DataverseException;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Parses a FetchXML query (with {@link SafeXml}) into a {@link Query}: {@code entity}, {@code attribute}/{@code
 * all-attributes}, nested {@code filter}s of {@code condition}s with Dataverse's operators, {@code order}, {@code
 * link-entity} (inner and outer, aliased, nested), {@code distinct}, {@code aggregate} with {@code groupby}, and the
 * paging attributes. One instance per document; not thread-safe.
 *
 * <p>Design note: link-entities are read first, so that conditions anywhere may name them through {@code
 * entityname}. Client aliases only ever become labels of returned values; the SQL uses generated aliases.
 */
final class FetchXmlParser {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,49}");

    /** A parsed FetchXML query. */
    record Fetch(Query query, TableDefinition table, Selection selection, List<ColumnRef> joined,
            @Nullable Integer top, int count, int page, @Nullable String pagingCookie, boolean aggregate,
            boolean totalRecordCount) {}

    /** A table in the query: the entity or a link-entity. */
    private record Scope(TableDefinition table, String sqlAlias, String label, Element element) {}

    private final Catalog catalog;
    private final NamedConditions operators;
    private final Caller caller;
    private final Map<String, Scope> links = new LinkedHashMap<>();
    private final List<Join> joins = new ArrayList<>();
    private final List<ColumnRef> joined = new ArrayList<>();
    private final List<Order> order = new ArrayList<>();
    private final List<ColumnRef> groups = new ArrayList<>();
    private final List<Aggregation.Aggregate> aggregates = new ArrayList<>();
    private boolean aggregate;
    private int conditions;

    FetchXmlParser(Catalog catalog, NamedConditions operators, Caller caller) {
        this.catalog = catalog;
        this.operators = operators;
        this.caller = caller;
    }

    Fetch parse(String xml, TableDefinition expected) {
        Element fetch;
        try {
            fetch = SafeXml.parse(xml).getDocumentElement();
        } catch (IllegalArgumentException e) {
            throw QueryErrors.fetchXml("The FetchXML is not well-formed: " + e.getMessage());
        }
        if (!fetch.getTagName().equals("fetch")) {
            throw QueryErrors.fetchXml("The FetchXML root element must be 'fetch', not '" + fetch.getTagName() + "'.");
        }
        checkElements(fetch);
        List<Element> entities = children(fetch, "entity");
        if (entities.size() != 1) {
            throw QueryErrors.fetchXml("The FetchXML must have exactly one 'entity' element.");
        }
        Element entity = entities.get(0);
        if (!entity.getAttribute("name").equals(expected.logicalName())) {
            throw new DataverseException(400, QueryErrors.ENTITIES_DONT_MATCH, "The entity name '"
                    + entity.getAttribute("name") + "' in the FetchXML does not match the entity set '"
                    + expected.entitySetName() + "' of the request.");
        }
        aggregate = flag(fetch, "aggregate");
        boolean distinct = flag(fetch, "distinct");
        Integer top = number(fetch, "top", 0);
        Integer count = number(fetch, "count", 1);
        Integer page = number(fetch, "page", 1);
        if (top != null && (count != null || page != null)) {
            throw QueryErrors.fetchXml("The 'top' attribute can't be combined with 'count' or 'page'.");
        }
        Scope root = new Scope(expected, Query.ROOT, "", entity);
        collectLinks(root);
        List<ColumnDefinition> attributes = new ArrayList<>();
        boolean all = attributes(root, attributes);
        Condition where = filters(root);
        List<Scope> linked = List.copyOf(links.values());
        for (Scope link : linked) {
            attributes(link, null);
        }
        orders(root);
        linked.forEach(this::orders);
        Selection selection = selection(expected, attributes, all, distinct);
        List<ColumnRef> columns = new ArrayList<>();
        for (ColumnDefinition column : selection.read()) {
            columns.add(ColumnRef.root(column));
        }
        columns.addAll(joined);
        Query query = new Query(expected, columns, joins, where, order, null, 0, null, distinct, false, List.of(),
                List.of(), null);
        if (aggregate) {
            if (groups.isEmpty() && aggregates.isEmpty()) {
                throw QueryErrors.fetchXml("An aggregate FetchXML needs attributes with 'aggregate' or 'groupby'.");
            }
            query = query.withColumns(List.of()).withAggregation(new Aggregation(groups, aggregates));
        } else {
            query = query.withColumns(Ordering.withOrderColumns(query.columns(), query.totalOrder()));
        }
        String cookie = fetch.hasAttribute("paging-cookie") ? fetch.getAttribute("paging-cookie") : null;
        return new Fetch(query, expected, selection, List.copyOf(joined), top,
                count == null ? RetrieveLimits.MAX_PAGE_SIZE : Math.min(count, RetrieveLimits.MAX_PAGE_SIZE),
                page == null ? 1 : page, cookie == null || cookie.isBlank() ? null : cookie, aggregate,
                flag(fetch, "returntotalrecordcount"));
    }

    // ---- link-entities ----------------------------------------------------------------------------------------

    /** A link-entity whose join is built once every alias is known (its filter may name any of them). */
    private record PendingJoin(Scope link, ColumnDefinition from, ColumnRef to, boolean outer) {}

    private void collectLinks(Scope root) {
        List<PendingJoin> pending = new ArrayList<>();
        collectLinks(root, pending);
        for (PendingJoin join : pending) {
            joins.add(new Join(join.link().table(), join.link().sqlAlias(), join.from(), join.to(), join.outer(),
                    filters(join.link())));
        }
    }

    private void collectLinks(Scope parent, List<PendingJoin> pending) {
        for (Element element : children(parent.element(), "link-entity")) {
            String name = element.getAttribute("name");
            TableDefinition table = catalog.table(name);
            if (table == null) {
                throw QueryErrors.fetchXml("The link-entity '" + name + "' is not a table of this organization.");
            }
            String type = element.hasAttribute("link-type") ? element.getAttribute("link-type") : "inner";
            if (!type.equals("inner") && !type.equals("outer")) {
                throw QueryErrors.notSupported("The link-type '" + type + "'");
            }
            String sqlAlias = "j" + (links.size() + 1);
            String label = element.hasAttribute("alias") ? element.getAttribute("alias") : name + (links.size() + 1);
            if (!ALIAS.matcher(label).matches() || links.containsKey(label)) {
                throw QueryErrors.fetchXml("The link-entity alias '" + label + "' is not a unique plain name.");
            }
            ColumnDefinition from = column(table, element.getAttribute("from"));
            ColumnDefinition to = column(parent.table(), element.getAttribute("to"));
            if (EdmTypes.kind(from) != EdmTypes.kind(to)) {
                throw QueryErrors.fetchXml("The link-entity '" + label + "' joins '" + from.logicalName()
                        + "' and '" + to.logicalName() + "', which are of different types.");
            }
            Scope link = new Scope(table, sqlAlias, label, element);
            links.put(label, link);
            pending.add(new PendingJoin(link, from, new ColumnRef(parent.sqlAlias(), to, to.logicalName()),
                    type.equals("outer")));
            collectLinks(link, pending);
        }
    }

    // ---- attributes --------------------------------------------------------------------------------------------

    /**
     * Reads a scope's attribute elements: the entity's columns go to {@code into} (null for a link-entity, whose
     * columns are returned as {@code alias.column}); in an aggregate query, groups and aggregates. Returns whether
     * the scope has {@code all-attributes}.
     */
    private boolean attributes(Scope scope, @Nullable List<ColumnDefinition> into) {
        boolean all = !children(scope.element(), "all-attributes").isEmpty();
        if (all && into == null && !aggregate) {
            for (ColumnDefinition column : catalog.storedColumns(scope.table())) {
                if (column.validForRead()) {
                    joined.add(new ColumnRef(scope.sqlAlias(), column, scope.label() + "." + column.logicalName()));
                }
            }
        }
        for (Element element : children(scope.element(), "attribute")) {
            ColumnDefinition column = column(scope.table(), element.getAttribute("name"));
            ColumnRef ref = new ColumnRef(scope.sqlAlias(), column, into != null ? column.logicalName()
                    : scope.label() + "." + column.logicalName());
            if (aggregate) {
                aggregateAttribute(element, ref);
            } else if (into != null) {
                if (!into.contains(column)) {
                    into.add(column);
                }
            } else if (!joined.contains(ref)) {
                joined.add(ref);
            }
        }
        return all;
    }

    private void aggregateAttribute(Element element, ColumnRef column) {
        String alias = element.getAttribute("alias");
        if (!ALIAS.matcher(alias).matches()) {
            throw QueryErrors.fetchXml("The attribute '" + column.column().logicalName()
                    + "' of an aggregate query needs an alias that is a plain name.");
        }
        if (element.hasAttribute("dategrouping")) {
            throw QueryErrors.notSupported("dategrouping");
        }
        if (flag(element, "groupby")) {
            groups.add(new ColumnRef(column.alias(), column.column(), alias));
            return;
        }
        String function = element.getAttribute("aggregate").toLowerCase(Locale.ROOT);
        Aggregation.Function kind = switch (function) {
            case "count" -> Aggregation.Function.COUNT_ROWS;
            case "countcolumn" -> flag(element, "distinct") ? Aggregation.Function.COUNT_DISTINCT
                    : Aggregation.Function.COUNT;
            case "sum" -> Aggregation.Function.SUM;
            case "avg" -> Aggregation.Function.AVERAGE;
            case "min" -> Aggregation.Function.MIN;
            case "max" -> Aggregation.Function.MAX;
            default -> throw QueryErrors.fetchXml("The attribute '" + column.column().logicalName()
                    + "' of an aggregate query needs groupby=\"true\" or an aggregate (count, countcolumn, sum, avg,"
                    + " min, max).");
        };
        boolean numeric = switch (column.column().type()) {
            case INTEGER, BIGINT, DECIMAL, DOUBLE, MONEY -> true;
            default -> false;
        };
        if ((kind == Aggregation.Function.SUM || kind == Aggregation.Function.AVERAGE) && !numeric) {
            throw QueryErrors.fetchXml("The aggregate '" + function + "' needs a numeric attribute; '"
                    + column.column().logicalName() + "' is " + column.column().type().pageName() + ".");
        }
        aggregates.add(new Aggregation.Aggregate(kind, kind == Aggregation.Function.COUNT_ROWS ? null : column,
                alias));
    }

    private Selection selection(TableDefinition table, List<ColumnDefinition> attributes, boolean all,
            boolean distinct) {
        List<ColumnDefinition> output = new ArrayList<>();
        if (all || (attributes.isEmpty() && joined.isEmpty())) {
            for (ColumnDefinition column : catalog.storedColumns(table)) {
                if (column.validForRead()) {
                    output.add(column);
                }
            }
        } else {
            output.addAll(attributes);
        }
        ColumnDefinition key = Objects.requireNonNull(table.column(table.primaryIdAttribute()));
        if (distinct) {
            return new Selection(List.copyOf(output), List.copyOf(output), null);
        }
        if (!output.contains(key)) {
            output.add(key);
        }
        Set<ColumnDefinition> read = new LinkedHashSet<>(output);
        ColumnDefinition version = table.column("versionnumber");
        if (version != null) {
            read.add(version);
        }
        ColumnDefinition ownerType = table.column("owneridtype");
        if (ownerType != null && output.stream().anyMatch(column -> column.type() == AttributeType.OWNER)) {
            read.add(ownerType);
        }
        return new Selection(List.copyOf(output), List.copyOf(read), null);
    }

    // ---- orders ------------------------------------------------------------------------------------------------

    private void orders(Scope node) {
        for (Element element : children(node.element(), "order")) {
            boolean descending = flag(element, "descending");
            if (aggregate) {
                String alias = element.getAttribute("alias");
                ColumnRef group = groups.stream().filter(candidate -> candidate.label().equals(alias)).findFirst()
                        .orElseThrow(() -> QueryErrors.fetchXml("An aggregate query orders by the alias of a"
                                + " groupby attribute; '" + alias + "' is none."));
                order.add(new Order(group, descending));
                continue;
            }
            ColumnDefinition column = column(node.table(), element.getAttribute("attribute"));
            ColumnRef ref = node.sqlAlias().equals(Query.ROOT) ? ColumnRef.root(column)
                    : new ColumnRef(node.sqlAlias(), column, node.label() + "." + column.logicalName());
            if (order.stream().noneMatch(existing -> existing.column().equals(ref))) {
                order.add(new Order(ref, descending));
            }
        }
    }

    // ---- filters -----------------------------------------------------------------------------------------------

    private Condition filters(Scope node) {
        List<Condition> all = new ArrayList<>();
        for (Element filter : children(node.element(), "filter")) {
            all.add(filter(node, filter));
        }
        return all.isEmpty() ? Condition.TRUE : all.size() == 1 ? all.get(0) : new Condition.And(all);
    }

    private Condition filter(Scope node, Element filter) {
        String type = filter.hasAttribute("type") ? filter.getAttribute("type") : "and";
        if (!type.equals("and") && !type.equals("or")) {
            throw QueryErrors.fetchXml("A filter's type is 'and' or 'or', not '" + type + "'.");
        }
        List<Condition> parts = new ArrayList<>();
        for (Element child : elements(filter)) {
            switch (child.getTagName()) {
                case "condition" -> parts.add(condition(node, child));
                case "filter" -> parts.add(filter(node, child));
                default -> throw QueryErrors.fetchXml("A filter holds conditions and filters, not '"
                        + child.getTagName() + "'.");
            }
        }
        if (parts.isEmpty()) {
            return Condition.TRUE;
        }
        return type.equals("and") ? new Condition.And(parts) : new Condition.Or(parts);
    }

    private Condition condition(Scope node, Element condition) {
        if (++conditions > FilterTranslator.MAX_CONDITIONS) {
            throw new DataverseException(400, QueryErrors.TOO_MANY_CONDITIONS, "The query has more than "
                    + FilterTranslator.MAX_CONDITIONS + " conditions; reduce the number of conditions.");
        }
        Scope target = node;
        if (condition.hasAttribute("entityname")) {
            target = links.get(condition.getAttribute("entityname"));
            if (target == null) {
                throw QueryErrors.fetchXml("The condition names the link-entity '"
                        + condition.getAttribute("entityname") + "', which the query does not have.");
            }
        }
        if (condition.hasAttribute("valueof")) {
            throw QueryErrors.notSupported("valueof in a FetchXML condition");
        }
        ColumnDefinition column = column(target.table(), condition.getAttribute("attribute"));
        List<String> values = new ArrayList<>();
        if (condition.hasAttribute("value")) {
            values.add(condition.getAttribute("value"));
        }
        for (Element value : children(condition, "value")) {
            values.add(value.getTextContent());
        }
        String operator = NamedConditions.normalize(condition.getAttribute("operator"));
        if (operator.isEmpty()) {
            throw QueryErrors.fetchXml("The condition on '" + column.logicalName() + "' has no operator.");
        }
        return operators.build(operator, new ColumnRef(target.sqlAlias(), column, column.logicalName()), values,
                caller);
    }

    /** The elements each FetchXML element may hold; anything else is refused, as the FetchXML schema does. */
    private static final Map<String, Set<String>> ALLOWED_CHILDREN = Map.of(
            "fetch", Set.of("entity"),
            "entity", Set.of("attribute", "all-attributes", "order", "filter", "link-entity"),
            "link-entity", Set.of("attribute", "all-attributes", "order", "filter", "link-entity"),
            "filter", Set.of("condition", "filter"),
            "condition", Set.of("value"),
            "attribute", Set.of(),
            "all-attributes", Set.of(),
            "order", Set.of(),
            "value", Set.of());

    private static void checkElements(Element element) {
        Set<String> allowed = ALLOWED_CHILDREN.getOrDefault(element.getTagName(), Set.of());
        for (Element child : elements(element)) {
            if (!allowed.contains(child.getTagName())) {
                throw QueryErrors.fetchXml("The element '" + child.getTagName() + "' is not allowed in '"
                        + element.getTagName() + "'.");
            }
            checkElements(child);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private ColumnDefinition column(TableDefinition table, String name) {
        ColumnDefinition column = table.column(name);
        if (column == null || !catalog.storedColumns(table).contains(column)) {
            throw QueryErrors.noAttribute(table.logicalName(), name);
        }
        return column;
    }

    private static boolean flag(Element element, String name) {
        String value = element.getAttribute(name).toLowerCase(Locale.ROOT);
        return value.equals("true") || value.equals("1");
    }

    private static @Nullable Integer number(Element element, String name, int minimum) {
        if (!element.hasAttribute(name)) {
            return null;
        }
        String text = element.getAttribute(name);
        try {
            int value = Integer.parseInt(text.trim());
            if (value < minimum || value > RetrieveLimits.MAX_PAGE_SIZE && !name.equals("page")) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw QueryErrors.fetchXml("The '" + name + "' attribute must be a whole number from " + minimum
                    + (name.equals("page") ? "" : " to " + RetrieveLimits.MAX_PAGE_SIZE) + "; it is '" + text + "'.");
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Element element : elements(parent)) {
            if (element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static List<Element> elements(Element parent) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }
}
