package io.flowbin.messages;

import io.flowbin.data.RelationshipStore;
import io.flowbin.data.RowSet;
import io.flowbin.data.SqlErrors;
import io.flowbin.data.Transaction;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import io.flowbin.security.InheritedShares;
import java.sql.SQLException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Delete message, optionally only while the row still has an expected version; the relationships' Delete
 * cascades run first, in the same transaction. Thread-safe.
 */
public final class DeleteMessage {
    private final MessageContext context;
    private final Cascades cascades;

    public DeleteMessage(MessageContext context) {
        this.context = context;
        RelationshipStore relationships = new RelationshipStore(context.catalog(), context.database().dialect());
        // rows a Delete cascade removes lose their files with them
        this.cascades = new Cascades(context, new Cascades.Listener() {
            @Override
            public void deleting(Transaction tx, RowSet rows) {
                context.files().removeAll(tx, rows);
                // their shares (explicit and inherited) would match no row any more
                if (rows.table().column("owninguser") != null) {
                    try {
                        if (InheritedShares.removeAll(tx, relationships, rows) > 0) {
                            context.guard().changed(tx, "principalobjectaccess");
                        }
                    } catch (SQLException e) {
                        throw SqlErrors.toDataverse(SqlErrors.classify(tx.dialect(), e));
                    }
                }
            }
        });
    }

    public record Request(TableDefinition table, UUID id, @Nullable Long expectedVersion, Caller caller) {}

    public void execute(Request request) {
        context.pipeline().execute(Events.identity(request.caller()), Events.delete(request.table(), request.id()),
                (tx, contexts) -> delete(tx, request));
    }

    /** Runs inside a transaction the caller holds (operations of a step). */
    public void execute(Transaction tx, Request request) {
        context.pipeline().execute(tx, Events.identity(request.caller()), Events.delete(request.table(),
                request.id()), (t, contexts) -> delete(t, request));
    }

    // the access check is part of the main operation: PreValidation and PreOperation steps run before it
    private @Nullable Void delete(Transaction tx, Request request) {
        try {
            AccessChecks.delete(context, tx, request.table(), request.id(), request.caller());
        } catch (SQLException e) {
            throw SqlErrors.toDataverse(SqlErrors.classify(tx.dialect(), e));
        }
        cascades.beforeDelete(tx, request.table(), request.id());
        context.files().removeAll(tx, request.table(), request.id());
        if (context.store().delete(tx, request.table(), request.id(), request.expectedVersion())) {
            return null;
        }
        if (context.store().exists(tx, request.table(), request.id())) {
            throw ErrorCodes.versionMismatch();
        }
        throw ErrorCodes.rowNotFound(request.table().logicalName(), request.id());
    }
}
