package io.flowbin.messages;

import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The Delete message, optionally only while the row still has an expected version. Thread-safe. */
public final class DeleteMessage {
    private final MessageContext context;

    public DeleteMessage(MessageContext context) {
        this.context = context;
    }

    public record Request(TableDefinition table, UUID id, @Nullable Long expectedVersion, Caller caller) {}

    public void execute(Request request) {
        context.database().inTransaction(tx -> {
            context.files().removeAll(tx, request.table(), request.id());
            if (context.store().delete(tx, request.table(), request.id(), request.expectedVersion())) {
                return null;
            }
            if (context.store().exists(tx, request.table(), request.id())) {
                throw ErrorCodes.versionMismatch();
            }
            throw ErrorCodes.rowNotFound(request.table().logicalName(), request.id());
        });
    }
}
