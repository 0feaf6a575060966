package io.flowbin.messages;

import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.data.query.ColumnRef;
import io.flowbin.data.query.Page;
import io.flowbin.data.query.Query;
import io.flowbin.data.query.QueryExecutor;
import io.flowbin.data.query.ResultRow;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.pipeline.ColumnSet;
import io.flowbin.pipeline.Entity;
import io.flowbin.pipeline.EventPipeline;
import io.flowbin.pipeline.ExecutionContext;
import io.flowbin.pipeline.FetchExpression;
import io.flowbin.pipeline.QueryExpression;
import io.flowbin.security.Caller;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The RetrieveMultiple message: one page of the rows a query selects, with their expansions, optionally with the
 * number of matching rows (capped, as Dataverse counts); or the groups of an aggregate query. Each request is one
 * read transaction. With steps on RetrieveMultiple for the table the page is read through the pipeline, and the
 * entities a PostOperation step leaves in {@code BusinessEntityCollection} are the rows the client receives; without
 * steps nothing more than a look at the registrations is done. Thread-safe.
 */
public final class RetrieveMultipleMessage {
    /** The most rows Dataverse counts; a larger count is reported as this limit, exceeded. */
    public static final int COUNT_LIMIT = 5000;

    private final MessageContext context;
    private final QueryExecutor executor;

    public RetrieveMultipleMessage(MessageContext context) {
        this.context = context;
        this.executor = new QueryExecutor(context.catalog(), context.database().dialect());
    }

    /**
     * @param query the rows to read; its limit is the page size
     * @param count also count the matching rows, up to {@link #COUNT_LIMIT} + 1
     * @param fetchXml the FetchXML the query was read from, or null for an OData query
     */
    public record Request(Query query, boolean count, Caller caller, @Nullable String fetchXml) {
        public Request(Query query, boolean count, Caller caller) {
            this(query, count, caller, null);
        }
    }

    /**
     * @param count the number of matching rows up to {@link #COUNT_LIMIT} + 1, or null when not asked for
     */
    public record Response(Page page, @Nullable Long count) {}

    public Response execute(Request request) {
        if (context.pipeline().hasSteps("RetrieveMultiple", request.query().table())) {
            return throughSteps(request);
        }
        // reads in auto-commit, as Retrieve does: under READ COMMITTED each statement sees its own snapshot in a
        // transaction too, and the COMMIT round trip is saved
        return context.database().read(tx -> read(tx, request));
    }

    private Response read(Transaction tx, Request request) throws SQLException {
        Query query = context.guard().restrict(tx, request.caller(), request.query());
        Page page = executor.page(tx, query);
        Long count = request.count() ? executor.count(tx, query, COUNT_LIMIT) : null;
        return new Response(page, count);
    }

    private Response throughSteps(Request request) {
        EventPipeline pipeline = context.pipeline();
        TableDefinition table = request.query().table();
        Object query = request.fetchXml() != null ? new FetchExpression(request.fetchXml())
                : new QueryExpression(table.logicalName(), new ColumnSet(false, rootColumns(request.query())),
                        request.query().limit());
        Read read = pipeline.execute(Events.identity(request.caller()), Events.retrieveMultiple(table, query),
                (tx, contexts) -> {
                    Response response = Events.sql(tx, t -> read(t, request));
                    List<Entity> entities = new ArrayList<>(response.page().rows().size());
                    Map<Entity, ResultRow> rows = new IdentityHashMap<>();
                    for (ResultRow row : response.page().rows()) {
                        Object id = row.row().value(table.primaryIdAttribute());
                        Entity entity = pipeline.entity(table, id instanceof UUID key ? key : null, row.row().values());
                        entities.add(entity);
                        rows.put(entity, row);
                    }
                    ExecutionContext operation = contexts.get(0);
                    operation.outputParameters().put("BusinessEntityCollection", entities);
                    return new Read(response, rows, operation);
                });
        if (!(read.operation().outputParameters().get("BusinessEntityCollection") instanceof List<?> returned)) {
            return read.response();
        }
        // the rows the steps left, in their order, with their values; rows they added have no expansions
        List<ResultRow> rows = new ArrayList<>(returned.size());
        for (Object item : returned) {
            if (item instanceof Entity entity) {
                ResultRow original = read.rows().get(entity);
                rows.add(original == null
                        ? new ResultRow(RetrieveMessage.added(table, entity), Map.of(), Map.of())
                        : new ResultRow(RetrieveMessage.stored(original.row(), entity), original.expanded(),
                                original.collections()));
            }
        }
        return new Response(new Page(rows, read.response().page().more()), read.response().count());
    }

    /**
     * A Retrieve of one row whose expansions are read as a one-row query ({@code query} selects the row by its key):
     * it raises Retrieve, not RetrieveMultiple, and what a PostOperation step leaves in {@code BusinessEntity} is
     * what the client receives. Without steps on Retrieve it is the plain query.
     */
    public Page retrieve(Query query, UUID id, Caller caller) {
        Request request = new Request(query, false, caller);
        TableDefinition table = query.table();
        EventPipeline pipeline = context.pipeline();
        if (!pipeline.hasSteps("Retrieve", table)) {
            return context.database().read(tx -> read(tx, request)).page();
        }
        Read read = pipeline.execute(Events.identity(caller), Events.retrieve(table, id, rootColumns(query)),
                (tx, contexts) -> {
                    Response response = Events.sql(tx, t -> read(t, request));
                    if (response.page().rows().isEmpty()) {
                        throw ErrorCodes.rowNotFound(table.logicalName(), id);
                    }
                    ResultRow row = response.page().rows().get(0);
                    Entity entity = pipeline.entity(table, id, row.row().values());
                    ExecutionContext operation = contexts.get(0);
                    operation.outputParameters().put("BusinessEntity", entity);
                    return new Read(response, Map.of(entity, row), operation);
                });
        ResultRow row = read.response().page().rows().get(0);
        if (!(read.operation().outputParameters().get("BusinessEntity") instanceof Entity entity)) {
            return read.response().page();
        }
        return new Page(List.of(new ResultRow(RetrieveMessage.stored(row.row(), entity), row.expanded(),
                row.collections())), false);
    }

    private static List<String> rootColumns(Query query) {
        return query.columns().stream().filter(column -> column.alias().equals(Query.ROOT)).map(ColumnRef::label)
                .toList();
    }

    /** A page read in the pipeline, its rows by the entity steps saw, and the operation whose outputs they change. */
    private record Read(Response response, Map<Entity, ResultRow> rows, ExecutionContext operation) {}

    /** The number of rows a query selects, counting no further than {@code COUNT_LIMIT + 1}. */
    public long count(Query query, Caller caller) {
        return context.database().read(
                tx -> executor.count(tx, context.guard().restrict(tx, caller, query), COUNT_LIMIT));
    }

    /** The groups of an aggregate query, values by group label and aggregate alias. */
    public List<StoredRow> aggregate(Query query, Caller caller) {
        return context.database().read(
                tx -> executor.aggregate(tx, context.guard().restrict(tx, caller, query)));
    }
}
