package io.flowbin.messages;

import io.flowbin.data.StoredRow;
import io.flowbin.data.query.Page;
import io.flowbin.data.query.Query;
import io.flowbin.data.query.QueryExecutor;
import io.flowbin.security.Caller;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The RetrieveMultiple message: one page of the rows a query selects, with their expansions, optionally with the
 * number of matching rows (capped, as Dataverse counts); or the groups of an aggregate query. Each request is one
 * read transaction. Thread-safe.
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
     */
    public record Request(Query query, boolean count, Caller caller) {}

    /**
     * @param count the number of matching rows up to {@link #COUNT_LIMIT} + 1, or null when not asked for
     */
    public record Response(Page page, @Nullable Long count) {}

    public Response execute(Request request) {
        return context.database().inTransaction(tx -> {
            Query query = context.guard().restrict(tx, request.caller(), request.query());
            Page page = executor.page(tx, query);
            Long count = request.count() ? executor.count(tx, query, COUNT_LIMIT) : null;
            return new Response(page, count);
        });
    }

    /** The number of rows a query selects, counting no further than {@code COUNT_LIMIT + 1}. */
    public long count(Query query, Caller caller) {
        return context.database().inTransaction(
                tx -> executor.count(tx, context.guard().restrict(tx, caller, query), COUNT_LIMIT));
    }

    /** The groups of an aggregate query, values by group label and aggregate alias. */
    public List<StoredRow> aggregate(Query query, Caller caller) {
        return context.database().inTransaction(
                tx -> executor.aggregate(tx, context.guard().restrict(tx, caller, query)));
    }
}
