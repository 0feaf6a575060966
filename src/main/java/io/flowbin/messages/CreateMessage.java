package io.flowbin.messages;

import io.flowbin.data.Transaction;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The Create message: one new row, its id either the client's or a new one. Thread-safe. */
public final class CreateMessage {
    private final MessageContext context;
    private final RowPreparation preparation;

    public CreateMessage(MessageContext context) {
        this.context = context;
        this.preparation = new RowPreparation(context);
    }

    /**
     * @param values the columns the client set, keyed by logical name; lookups as {@link EntityReference}
     */
    public record Request(TableDefinition table, Map<String, @Nullable Object> values, Caller caller) {}

    public record Response(UUID id, long version) {}

    public Response execute(Request request) {
        return context.database().inTransaction(tx -> execute(tx, request));
    }

    /** Runs inside a transaction the caller holds (upsert, batches). */
    public Response execute(Transaction tx, Request request) {
        TableDefinition table = request.table();
        Object sentId = request.values().get(table.primaryIdAttribute());
        UUID id = sentId instanceof UUID given ? given : UUID.randomUUID();
        Map<String, @Nullable Object> values = preparation.forCreate(tx, table, id, request.values(), request.caller());
        AccessChecks.create(context, tx, table, request.values(), values, request.caller());
        long version = context.store().insert(tx, table, values);
        return new Response(id, version);
    }
}
