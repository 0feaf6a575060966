package io.flowbin.odata;

import io.flowbin.data.StoredRow;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Order;
import io.flowbin.data.query.Page;
import io.flowbin.data.query.Query;
import io.flowbin.messages.RetrieveMultipleMessage;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.olingo.server.api.uri.UriInfo;

/**
 * {@code GET <set>?fetchXml=…}: runs a FetchXML query, paged by {@code count}/{@code page} and the paging cookie
 * (a keyset cursor; a page number without a cookie skips rows), and answers with {@code
 * @Microsoft.Dynamics.CRM.morerecords} and {@code @Microsoft.Dynamics.CRM.fetchxmlpagingcookie} while more rows
 * follow, when the client asks for those annotations. Thread-safe.
 */
final class FetchXmlRequests {
    static final String PAGING_COOKIE = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
    static final String MORE_RECORDS = "Microsoft.Dynamics.CRM.morerecords";

    private final Catalog catalog;
    private final NamedConditions operators;
    private final RetrieveMultipleMessage retrieveMultiple;
    private final CollectionWriter writer;

    FetchXmlRequests(Catalog catalog, NamedConditions operators, RetrieveMultipleMessage retrieveMultiple,
            CollectionWriter writer) {
        this.catalog = catalog;
        this.operators = operators;
        this.retrieveMultiple = retrieveMultiple;
        this.writer = writer;
    }

    ODataResponse handle(ODataRequest request, UriInfo info, TableDefinition table, String xml) {
        if (info.getFilterOption() != null || info.getSelectOption() != null || info.getOrderByOption() != null
                || info.getTopOption() != null || info.getExpandOption() != null || info.getApplyOption() != null
                || info.getSkipTokenOption() != null) {
            throw QueryErrors.notSupported("Combining fetchXml with other query options than $count");
        }
        Preferences preferences = Preferences.parse(request.headerValues("Prefer"));
        FetchXmlParser.Fetch fetch = new FetchXmlParser(catalog, operators, request.caller()).parse(xml, table);
        String context = request.serviceRoot() + "$metadata#" + table.entitySetName();
        if (fetch.aggregate()) {
            Query query = fetch.query().withLimit(fetch.top());
            List<StoredRow> rows = retrieveMultiple.aggregate(query, request.caller());
            Map<String, ColumnDefinition> lookups = new HashMap<>();
            CollectionWriter.Envelope envelope = new CollectionWriter.Envelope(context, Map.of(), null);
            return ODataResponse.json(200, out -> writer.aggregates(out, envelope, rows, lookups));
        }
        Query query = fetch.query().withLookupNames(preferences.wantsAnnotation(EntityWriter.FORMATTED));
        List<Order> order = query.totalOrder();
        boolean paged = fetch.top() == null;
        if (!paged) {
            query = query.withLimit(fetch.top());
        } else {
            query = query.withLimit(fetch.count());
            if (fetch.pagingCookie() != null && !query.distinct()) {
                query = query.withAfter(PagingCookies.cursorOfInner(fetch.pagingCookie(), order));
            } else if (fetch.page() > 1) {
                query = query.withOffset(Math.multiplyExact(fetch.page() - 1, fetch.count()));
            }
        }
        boolean counted = (info.getCountOption() != null && info.getCountOption().getValue())
                || fetch.totalRecordCount();
        RetrieveMultipleMessage.Response result = retrieveMultiple.execute(
                new RetrieveMultipleMessage.Request(query, counted, request.caller(), xml));
        Page page = result.page();
        Map<String, Object> annotations = new java.util.LinkedHashMap<>();
        if (counted && result.count() != null) {
            long count = Math.min(result.count(), RetrieveMultipleMessage.COUNT_LIMIT);
            if (info.getCountOption() != null && info.getCountOption().getValue()) {
                annotations.put("@odata.count", count);
            }
            if (fetch.totalRecordCount()) {
                annotations.put("@" + CollectionRequests.TOTAL_COUNT, count);
                annotations.put("@" + CollectionRequests.COUNT_EXCEEDED,
                        result.count() > RetrieveMultipleMessage.COUNT_LIMIT);
            }
        }
        if (paged && page.more() && !page.rows().isEmpty()) {
            if (preferences.wantsAnnotation(PAGING_COOKIE) && !query.distinct()) {
                annotations.put("@" + PAGING_COOKIE, PagingCookies.outer(fetch.page(), order, page.rows().get(0),
                        page.rows().get(page.rows().size() - 1)));
            }
            if (preferences.wantsAnnotation(MORE_RECORDS)) {
                annotations.put("@" + MORE_RECORDS, true);
            }
        }
        List<ColumnRef> joined = fetch.joined();
        CollectionWriter.RowShape shape = new CollectionWriter.RowShape(table, fetch.selection(), Expansions.NONE,
                joined, true);
        CollectionWriter.Envelope envelope = new CollectionWriter.Envelope(context, annotations, null);
        ODataResponse response = ODataResponse.json(200, out -> writer.collection(
                out, request.serviceRoot(), envelope, page.rows(), shape, preferences));
        if (preferences.annotationsText() != null) {
            response.preferenceApplied("odata.include-annotations=" + preferences.annotationsText());
        }
        return response;
    }
}
