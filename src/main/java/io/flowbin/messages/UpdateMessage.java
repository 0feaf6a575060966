package io.flowbin.messages;

import io.flowbin.data.Transaction;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import io.flowbin.pipeline.ExecutionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Update and Upsert messages: a PATCH on a key updates the row, or creates it when it does not exist, unless a
 * precondition says otherwise ({@code If-Match} to update only, {@code If-None-Match: *} to create only). The
 * update is one statement that also checks the expected version, so a stale write can never land; a change of owner
 * runs the Assign cascade in the same transaction. Thread-safe.
 */
public final class UpdateMessage {
    private final MessageContext context;
    private final RowPreparation preparation;
    private final CreateMessage create;
    private final Cascades cascades;

    public UpdateMessage(MessageContext context) {
        this.context = context;
        this.preparation = new RowPreparation(context);
        this.create = new CreateMessage(context);
        this.cascades = new Cascades(context);
    }

    /** What must hold before the write. */
    public enum Precondition {
        /** Update when the row exists, else create it (upsert). */
        NONE,
        /** {@code If-Match: *} or an etag: update only. */
        MUST_EXIST,
        /** {@code If-None-Match: *}: create only. */
        MUST_NOT_EXIST
    }

    /**
     * @param expectedVersion with {@link Precondition#MUST_EXIST}: the version the row must still have, or null
     */
    public record Request(TableDefinition table, UUID id, Map<String, @Nullable Object> values,
            Precondition precondition, @Nullable Long expectedVersion, Caller caller) {}

    public record Response(UUID id, long version, boolean created) {}

    public Response execute(Request request) {
        if (request.precondition() != Precondition.MUST_EXIST
                && !context.database().read(tx -> context.store().exists(tx, request.table(), request.id()))) {
            // the branch an upsert takes raises its own events: Create here, before any transaction
            return create.execute(creation(request)).asUpsert();
        }
        if (request.precondition() == Precondition.MUST_NOT_EXIST) {
            throw ErrorCodes.duplicateRecord();
        }
        return context.pipeline().execute(Events.identity(request.caller()),
                Events.patch(request.table(), request.id(), request.values()),
                (tx, contexts) -> update(tx, request, contexts));
    }

    public Response execute(Transaction tx, Request request) {
        TableDefinition table = request.table();
        boolean exists = context.store().exists(tx, table, request.id());
        if (request.precondition() == Precondition.MUST_NOT_EXIST) {
            if (exists) {
                throw ErrorCodes.duplicateRecord();
            }
            return created(tx, request);
        }
        if (!exists && request.precondition() == Precondition.NONE) {
            return created(tx, request);
        }
        return context.pipeline().execute(tx, Events.identity(request.caller()),
                Events.patch(table, request.id(), request.values()), (t, contexts) -> update(t, request, contexts));
    }

    private Response update(Transaction tx, Request sent, List<ExecutionContext> contexts) {
        Request request = new Request(sent.table(), sent.id(), Events.patchValues(contexts), sent.precondition(),
                sent.expectedVersion(), sent.caller());
        TableDefinition table = request.table();
        // checked in the main operation, on the values the PreOperation steps leave
        AccessChecks.update(context, tx, table, request.id(), request.values(), request.caller());
        Map<String, @Nullable Object> values =
                preparation.forUpdate(tx, table, request.id(), request.values(), request.caller());
        Cascades.Before before = cascades.beforeUpdate(tx, table, request.id(), values);
        long version = context.store().update(tx, table, request.id(), values, request.expectedVersion());
        if (version >= 0) {
            cascades.afterUpdate(tx, before, values);
            AccessChecks.updated(context, tx, table, request.id(), values);
            return new Response(request.id(), version, false);
        }
        boolean exists = context.store().exists(tx, table, request.id());
        if (exists) {
            throw ErrorCodes.versionMismatch();
        }
        if (request.precondition() == Precondition.MUST_EXIST) {
            throw ErrorCodes.rowNotFound(table.logicalName(), request.id());
        }
        return created(tx, request);
    }

    private Response created(Transaction tx, Request request) {
        CreateMessage.Response response = create.execute(tx, creation(request));
        return new Response(response.id(), response.version(), true);
    }

    private static CreateMessage.Request creation(Request request) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>(request.values());
        values.put(request.table().primaryIdAttribute(), request.id());
        return new CreateMessage.Request(request.table(), values, request.caller());
    }
}
