package io.flowbin.messages;

import io.flowbin.data.StoredRow;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.AccessRight;
import io.flowbin.security.Caller;
import java.util.List;
import java.util.UUID;

/** The Retrieve message: one row by id, the asked-for columns only. Thread-safe. */
public final class RetrieveMessage {
    private final MessageContext context;

    public RetrieveMessage(MessageContext context) {
        this.context = context;
    }

    /**
     * @param columns the stored columns to read
     * @param withLookupNames also read each lookup's referenced row name (for formatted values)
     */
    public record Request(TableDefinition table, UUID id, List<ColumnDefinition> columns, boolean withLookupNames,
            Caller caller) {}

    public StoredRow execute(Request request) {
        StoredRow row = context.database().read(tx -> {
            context.guard().requireRow(tx, request.caller(), request.table(), request.id(), AccessRight.READ);
            return context.store()
                    .select(tx, request.table(), request.id(), request.columns(), request.withLookupNames());
        });
        if (row == null) {
            throw ErrorCodes.rowNotFound(request.table().logicalName(), request.id());
        }
        return row;
    }
}
