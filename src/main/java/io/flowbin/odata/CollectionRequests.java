package io.flowbin.odata;

import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Condition;
import io.flowbin.data.query.Literal;
import io.flowbin.data.query.Order;
import io.flowbin.data.query.Page;
import io.flowbin.data.query.Query;
import io.flowbin.data.query.ResultRow;
import io.flowbin.error.ErrorCodes;
import io.flowbin.messages.MessageContext;
import io.flowbin.messages.RetrieveMultipleMessage;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceCount;
import org.apache.olingo.server.api.uri.queryoption.CustomQueryOption;
import org.jspecify.annotations.Nullable;

/**
 * RetrieveMultiple on an entity set: {@code GET <set>} with {@code $select}, {@code $filter}, {@code $orderby},
 * {@code $top}, {@code $count}, {@code $expand}, {@code $apply} or {@code fetchXml}, paged by keyset with {@code
 * Prefer: odata.maxpagesize} and {@code $skiptoken}; {@code GET <set>/$count}; and Retrieve with {@code $expand}.
 * Translates the options into a {@link Query} and hands it to {@link RetrieveMultipleMessage}. Thread-safe.
 */
final class CollectionRequests {
    static final String TOTAL_COUNT = "Microsoft.Dynamics.CRM.totalrecordcount";
    static final String COUNT_EXCEEDED = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";

    private final Catalog catalog;
    private final QueryFunctions functions;
    private final RetrieveMultipleMessage retrieveMultiple;
    private final CollectionWriter writer;
    private final Aggregates aggregates;
    private final FetchXmlRequests fetchXml;

    CollectionRequests(Catalog catalog, MessageContext context, EntityWriter entities) {
        this.catalog = catalog;
        this.functions = new QueryFunctions(new NamedConditions(context.clock()));
        this.retrieveMultiple = new RetrieveMultipleMessage(context);
        this.writer = new CollectionWriter(catalog, entities);
        this.aggregates = new Aggregates(catalog, functions, retrieveMultiple, writer);
        this.fetchXml = new FetchXmlRequests(catalog, new NamedConditions(context.clock()), retrieveMultiple,
                writer);
    }

    /** {@code GET <set>} and {@code GET <set>/$count}. */
    ODataResponse handle(ODataRequest request, UriInfo info, TableDefinition table) {
        List<UriResource> parts = info.getUriResourceParts();
        if (parts.size() == 2 && parts.get(1) instanceof UriResourceCount) {
            return count(request, info, table);
        }
        if (parts.size() != 1) {
            throw ODataService.notFound(request.path());
        }
        String fetch = customOption(info, "fetchXml");
        if (fetch != null) {
            return fetchXml.handle(request, info, table, fetch);
        }
        if (info.getApplyOption() != null) {
            return aggregates.handle(request, info, table);
        }
        return list(request, info, table);
    }

    /**
     * {@code GET <set>(<id>)/<collection navigation>} of a one-to-many relationship: the related rows, with the query
     * options of a collection (for example a table's system jobs through {@code <table>_AsyncOperations}).
     */
    ODataResponse related(ODataRequest request, UriInfo info, TableDefinition related, String column, UUID id) {
        ColumnDefinition lookup = related.column(column);
        if (lookup == null || info.getApplyOption() != null || customOption(info, "fetchXml") != null) {
            throw ODataService.notFound(request.path());
        }
        return list(request, info, related, new Condition.Compare(ColumnRef.of(Query.ROOT, lookup),
                Condition.Comparator.EQ, new Literal(id)));
    }

    private ODataResponse list(ODataRequest request, UriInfo info, TableDefinition table) {
        return list(request, info, table, null);
    }

    private ODataResponse list(ODataRequest request, UriInfo info, TableDefinition table,
            @Nullable Condition scope) {
        Preferences preferences = Preferences.parse(request.headerValues("Prefer"));
        Selection selection = Selection.of(catalog, table, info);
        Expansions expansions = Expansions.of(catalog, functions, table, info.getExpandOption(), aliases(info),
                request.caller());
        Integer top = info.getTopOption() == null ? null : RetrieveLimits.top(info.getTopOption().getValue());
        int pageSize = RetrieveLimits.pageSize(preferences.maxPageSize());
        Query scoped = filtered(request, info, table, selection.read());
        if (scope != null) {
            scoped = scoped.and(scope);
        }
        Query query = scoped
                .withOrder(Ordering.of(catalog, table, info.getOrderByOption()))
                .withLookupNames(preferences.wantsAnnotation(EntityWriter.FORMATTED));
        List<Order> order = query.totalOrder();
        query = expansions.applyTo(query.withColumns(Ordering.withOrderColumns(query.columns(), order)));
        int page = 1;
        if (top != null) {
            query = query.withLimit(top);
        } else {
            query = query.withLimit(pageSize);
            if (info.getSkipTokenOption() != null) {
                PagingCookies.Outer cookie = PagingCookies.outerCookie(info.getSkipTokenOption().getValue(), order);
                query = query.withAfter(cookie.cursor());
                page = cookie.page();
            }
        }
        boolean counted = info.getCountOption() != null && info.getCountOption().getValue();
        RetrieveMultipleMessage.Response result = retrieveMultiple.execute(
                new RetrieveMultipleMessage.Request(query, counted, request.caller()));
        Page rows = result.page();
        String nextLink = null;
        if (top == null && rows.more() && !rows.rows().isEmpty()) {
            String cookie = PagingCookies.outer(page, order, rows.rows().get(0),
                    rows.rows().get(rows.rows().size() - 1));
            nextLink = request.serviceRoot() + request.path() + "?" + withoutSkipToken(request.query())
                    + "$skiptoken=" + PagingCookies.encode(cookie);
        }
        Map<String, Object> annotations = countAnnotations(result.count(), counted, preferences);
        List<String> contextItems = new ArrayList<>();
        if (selection.contextSelect() != null) {
            contextItems.add(selection.contextSelect());
        }
        contextItems.addAll(expansions.contextItems());
        String context = request.serviceRoot() + "$metadata#" + table.entitySetName()
                + (contextItems.isEmpty() ? "" : "(" + String.join(",", contextItems) + ")");
        CollectionWriter.Envelope envelope = new CollectionWriter.Envelope(context, annotations, nextLink);
        CollectionWriter.RowShape shape = new CollectionWriter.RowShape(table, selection, expansions, List.of(),
                false);
        ODataResponse response = ODataResponse.json(200, out -> writer.collection(
                out, request.serviceRoot(), envelope, rows.rows(), shape, preferences));
        if (top == null && preferences.maxPageSize() != null) {
            response.preferenceApplied("odata.maxpagesize=" + pageSize);
        }
        if (preferences.annotationsText() != null) {
            response.preferenceApplied("odata.include-annotations=" + preferences.annotationsText());
        }
        return response;
    }

    /** {@code @odata.count} (capped) and, when asked for, the total record count annotations. */
    static Map<String, Object> countAnnotations(@Nullable Long count, boolean counted, Preferences preferences) {
        Map<String, Object> annotations = new LinkedHashMap<>();
        long limit = RetrieveMultipleMessage.COUNT_LIMIT;
        if (counted && count != null) {
            annotations.put("@odata.count", Math.min(count, limit));
        }
        if (preferences.wantsAnnotation(TOTAL_COUNT)) {
            annotations.put("@" + TOTAL_COUNT, counted && count != null ? Math.min(count, limit) : -1L);
        }
        if (preferences.wantsAnnotation(COUNT_EXCEEDED)) {
            annotations.put("@" + COUNT_EXCEEDED, counted && count != null && count > limit);
        }
        return annotations;
    }

    private ODataResponse count(ODataRequest request, UriInfo info, TableDefinition table) {
        if (info.getApplyOption() != null || customOption(info, "fetchXml") != null) {
            throw QueryErrors.notSupported("$apply or fetchXml with /$count");
        }
        Query query = filtered(request, info, table, List.of());
        long count = Math.min(retrieveMultiple.count(query, request.caller()), RetrieveMultipleMessage.COUNT_LIMIT);
        byte[] body = Long.toString(count).getBytes(StandardCharsets.UTF_8);
        return ODataResponse.of(200, "text/plain", out -> out.write(body));
    }

    /** Retrieve of one row with {@code $expand}: the row as a one-row query, so expansions are read in SQL. */
    ODataResponse retrieveExpanded(ODataRequest request, UriInfo info, TableDefinition table, UUID id) {
        Preferences preferences = Preferences.parse(request.headerValues("Prefer"));
        Selection selection = Selection.of(catalog, table, info);
        Expansions expansions = Expansions.of(catalog, functions, table, info.getExpandOption(), aliases(info),
                request.caller());
        Query query = expansions.applyTo(Query.of(table, selection.read())
                .and(Expansions.keyEquals(table, id))
                .withLookupNames(preferences.wantsAnnotation(EntityWriter.FORMATTED))
                .withLimit(1));
        Page page = retrieveMultiple.retrieve(query, id, request.caller());
        if (page.rows().isEmpty()) {
            throw ErrorCodes.rowNotFound(table.logicalName(), id);
        }
        ResultRow row = page.rows().get(0);
        List<String> contextItems = new ArrayList<>();
        if (selection.contextSelect() != null) {
            contextItems.add(selection.contextSelect());
        }
        contextItems.addAll(expansions.contextItems());
        String context = request.serviceRoot() + "$metadata#" + table.entitySetName()
                + (contextItems.isEmpty() ? "" : "(" + String.join(",", contextItems) + ")") + "/$entity";
        CollectionWriter.RowShape shape = new CollectionWriter.RowShape(table, selection, expansions, List.of(),
                false);
        ODataResponse response = ODataResponse.json(200, out -> writer.entity(
                out, request.serviceRoot(), context, row, shape, preferences));
        if (preferences.annotationsText() != null) {
            response.preferenceApplied("odata.include-annotations=" + preferences.annotationsText());
        }
        return response;
    }

    private Query filtered(ODataRequest request, UriInfo info, TableDefinition table,
            List<ColumnDefinition> columns) {
        Query query = Query.of(table, columns);
        if (info.getFilterOption() != null) {
            query = query.and(FilterTranslator.translate(catalog, functions, table,
                    info.getFilterOption().getExpression(), aliases(info), request.caller()));
        }
        return query;
    }

    static Function<String, @Nullable String> aliases(UriInfo info) {
        return info::getValueForAlias;
    }

    static @Nullable String customOption(UriInfo info, String name) {
        for (CustomQueryOption option : info.getCustomQueryOptions()) {
            if (option.getName().equals(name)) {
                return option.getText();
            }
        }
        return null;
    }

    /** The query string as sent without {@code $skiptoken}, ending in {@code &} when anything is left. */
    static String withoutSkipToken(@Nullable String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String parameter : query.split("&")) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            if (name.isEmpty() || name.equals("$skiptoken") || name.equalsIgnoreCase("%24skiptoken")) {
                continue;
            }
            kept.append(parameter).append('&');
        }
        return kept.toString();
    }
}
