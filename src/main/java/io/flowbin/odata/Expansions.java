package io.flowbin.odata;

import io.flowbin.data.query.CollectionExpansion;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Expansion;
import io.flowbin.data.query.Query;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourceRef;
import org.apache.olingo.server.api.uri.queryoption.ExpandItem;
import org.apache.olingo.server.api.uri.queryoption.ExpandOption;
import org.jspecify.annotations.Nullable;

/**
 * Translates {@code $expand}: single-valued navigation properties become {@link Expansion}s read in the same
 * statement, collection-valued ones (1:N) {@link CollectionExpansion}s with their nested {@code $select}, {@code
 * $filter}, {@code $orderby} and {@code $top}. Keeps what the writer needs to write each one.
 *
 * @param singles the single-valued expansions
 * @param collections the collection-valued expansions
 * @param plans by navigation property: how to write it
 */
record Expansions(List<Expansion> singles, List<CollectionExpansion> collections, Map<String, Plan> plans) {
    /** Dataverse's limit on expanded navigation properties per query. */
    static final int MAX_EXPANSIONS = 15;
    static final Expansions NONE = new Expansions(List.of(), List.of(), Map.of());

    /**
     * How one expanded property is written.
     *
     * @param selections the selection of each table it may lead to, by logical name
     * @param reference written as {@code {"@odata.id": …}} ({@code $expand=nav/$ref})
     * @param contextItem the property as it appears in the context URL, e.g. {@code flowsessionid(name)}
     */
    record Plan(String name, boolean collection, Map<String, Selection> selections, boolean reference,
            String contextItem) {}

    static Expansions of(Catalog catalog, QueryFunctions functions, TableDefinition table,
            @Nullable ExpandOption option, Function<String, @Nullable String> aliases, Caller caller) {
        if (option == null || option.getExpandItems().isEmpty()) {
            return NONE;
        }
        if (option.getExpandItems().size() > MAX_EXPANSIONS) {
            throw QueryErrors.invalid("The query expands " + option.getExpandItems().size()
                    + " navigation properties; at most " + MAX_EXPANSIONS + " are allowed.");
        }
        List<Expansion> singles = new ArrayList<>();
        List<CollectionExpansion> collections = new ArrayList<>();
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (ExpandItem item : option.getExpandItems()) {
            NavigationProperty nav = navigation(catalog, table, item);
            if (item.getLevelsOption() != null || item.getSkipOption() != null || item.getCountOption() != null
                    || item.getSearchOption() != null || item.getApplyOption() != null || item.hasCountPath()) {
                throw QueryErrors.notSupported("$levels, $skip, $count, $search and $apply inside $expand");
            }
            if (item.getExpandOption() != null && !item.getExpandOption().getExpandItems().isEmpty()) {
                throw QueryErrors.notSupported("A nested $expand");
            }
            if (plans.containsKey(nav.name())) {
                throw QueryErrors.invalid("The navigation property '" + nav.name() + "' is expanded twice.");
            }
            if (nav.collection()) {
                if (item.isRef()) {
                    throw new DataverseException(400, ErrorCodes.INVALID_QUERY,
                            "Expand with $ref is only supported on lookup type navigation property.");
                }
                collections.add(collection(catalog, functions, table, nav, item, aliases, caller, plans));
            } else {
                singles.add(single(catalog, table, nav, item, plans));
            }
        }
        return new Expansions(singles, collections, plans);
    }

    private static NavigationProperty navigation(Catalog catalog, TableDefinition table, ExpandItem item) {
        if (item.isStar()) {
            throw QueryErrors.notSupported("$expand=*");
        }
        List<UriResource> parts = new ArrayList<>(item.getResourcePath() == null ? List.of()
                : item.getResourcePath().getUriResourceParts());
        if (item.isRef() && !parts.isEmpty() && parts.get(parts.size() - 1) instanceof UriResourceRef) {
            parts.remove(parts.size() - 1);
        }
        if (parts.size() != 1 || !(parts.get(0) instanceof UriResourceNavigation navigation)) {
            throw QueryErrors.notSupported("This $expand path");
        }
        NavigationProperty nav = catalog.navigationProperties(table).get(navigation.getProperty().getName());
        if (nav == null) {
            throw QueryErrors.unknownProperty(table, navigation.getProperty().getName());
        }
        return nav;
    }

    private static Expansion single(Catalog catalog, TableDefinition table, NavigationProperty nav, ExpandItem item,
            Map<String, Plan> plans) {
        if (item.getFilterOption() != null || item.getOrderByOption() != null || item.getTopOption() != null) {
            throw QueryErrors.notSupported("$filter, $orderby and $top inside the $expand of a single-valued"
                    + " navigation property such as '" + nav.name() + "'");
        }
        ColumnDefinition lookup = Objects.requireNonNull(table.column(nav.column()));
        List<Expansion.Target> targets = new ArrayList<>();
        Map<String, Selection> selections = new LinkedHashMap<>();
        String contextSelect = null;
        for (String targetName : nav.targets()) {
            TableDefinition target = Objects.requireNonNull(catalog.table(targetName));
            Selection selection = item.isRef() ? keyOnly(target)
                    : Selection.of(catalog, target, item.getSelectOption());
            selections.put(target.logicalName(), selection);
            targets.add(new Expansion.Target(target, selection.read()));
            contextSelect = selection.contextSelect();
        }
        plans.put(nav.name(), new Plan(nav.name(), false, selections, item.isRef(),
                nav.name() + (item.isRef() ? "" : "(" + (contextSelect == null ? "" : contextSelect) + ")")));
        return new Expansion(nav.name(), lookup, targets);
    }

    private static Selection keyOnly(TableDefinition target) {
        ColumnDefinition key = Objects.requireNonNull(target.column(target.primaryIdAttribute()));
        return new Selection(List.of(key), List.of(key), target.primaryIdAttribute());
    }

    private static CollectionExpansion collection(Catalog catalog, QueryFunctions functions, TableDefinition table,
            NavigationProperty nav, ExpandItem item, Function<String, @Nullable String> aliases, Caller caller,
            Map<String, Plan> plans) {
        TableDefinition child = Objects.requireNonNull(catalog.table(nav.targets().get(0)));
        ColumnDefinition parentLookup = child.column(nav.column());
        if (parentLookup == null || !parentLookup.type().isReference()) {
            throw QueryErrors.notSupported("Expanding the many-to-many navigation property '" + nav.name() + "'");
        }
        Selection selection = Selection.of(catalog, child, item.getSelectOption());
        Query query = Query.of(child, selection.read());
        if (item.getFilterOption() != null) {
            query = query.and(FilterTranslator.translate(catalog, functions, child,
                    item.getFilterOption().getExpression(), aliases, caller));
        }
        query = query.withOrder(Ordering.of(catalog, child, item.getOrderByOption()));
        int top = RetrieveLimits.top(item.getTopOption() == null ? null : item.getTopOption().getValue());
        query = query.withLimit(top).withColumns(Ordering.withOrderColumns(query.columns(), query.totalOrder()));
        plans.put(nav.name(), new Plan(nav.name(), true, Map.of(child.logicalName(), selection), false,
                nav.name() + "(" + (selection.contextSelect() == null ? "" : selection.contextSelect()) + ")"));
        return new CollectionExpansion(nav.name(), query, parentLookup);
    }

    /** The columns and key condition of a query for these expansions. */
    Query applyTo(Query query) {
        return query.withExpansions(singles, collections);
    }

    /** Context URL items, such as {@code flowsessionid(name)}. */
    List<String> contextItems() {
        return plans.values().stream().map(Plan::contextItem).toList();
    }

    static ColumnRef key(TableDefinition table) {
        return ColumnRef.root(Objects.requireNonNull(table.column(table.primaryIdAttribute())));
    }

    static Condition keyEquals(TableDefinition table, java.util.UUID id) {
        return new Condition.Compare(key(table), Condition.Comparator.EQ, new io.flowbin.data.query.Literal(id));
    }
}
