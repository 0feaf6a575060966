package io.flowbin.messages;

import io.flowbin.data.RowIds;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import io.flowbin.pipeline.Entity;
import io.flowbin.pipeline.ExecutionContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The Create message: one new row, its id either the client's or a new one. Thread-safe. */
public final class CreateMessage {
    private final MessageContext context;
    private final RowPreparation preparation;
    private final InheritedAccess inheritedAccess;

    public CreateMessage(MessageContext context) {
        this.context = context;
        this.preparation = new RowPreparation(context);
        this.inheritedAccess = new Cascades(context).inheritedAccess();
    }

    /**
     * @param values the columns the client set, keyed by logical name; lookups as {@link EntityReference}
     */
    public record Request(TableDefinition table, Map<String, @Nullable Object> values, Caller caller) {}

    public record Response(UUID id, long version) {
        UpdateMessage.Response asUpsert() {
            return new UpdateMessage.Response(id, version, true);
        }
    }

    public Response execute(Request request) {
        return context.pipeline().execute(Events.identity(request.caller()),
                Events.create(request.table(), request.values()), (tx, contexts) -> created(tx, request, contexts));
    }

    /** Runs inside a transaction the caller holds (upsert, batches). */
    public Response execute(Transaction tx, Request request) {
        return context.pipeline().execute(tx, Events.identity(request.caller()),
                Events.create(request.table(), request.values()), (t, contexts) -> created(t, request, contexts));
    }

    private Response created(Transaction tx, Request request, List<ExecutionContext> contexts) {
        Entity target = java.util.Objects.requireNonNull(contexts.get(0).target());
        Response response = create(tx, new Request(request.table(), Events.values(target), request.caller()));
        Events.created(contexts, response.id());
        return response;
    }

    private Response create(Transaction tx, Request request) {
        TableDefinition table = request.table();
        Object sentId = request.values().get(table.primaryIdAttribute());
        UUID id = sentId instanceof UUID given ? given : RowIds.next();
        Map<String, @Nullable Object> values = preparation.forCreate(tx, table, id, request.values(), request.caller());
        AccessChecks.create(context, tx, table, request.values(), values, request.caller());
        long version = context.store().insert(tx, table, values);
        // a row created under a shared parent inherits its shares, as a row moved under it does
        inheritedAccess.created(tx, table, List.of(id), List.of(values));
        return new Response(id, version);
    }
}
