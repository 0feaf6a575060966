package io.flowbin.messages;

import io.flowbin.data.BulkRows;
import io.flowbin.data.RowIds;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The CreateMultiple message: many rows of one table in one transaction, all or nothing. Each row is prepared
 * exactly as a single Create prepares it (validation, defaults, owner, system columns); the keys and the lookups of
 * all rows are checked with a few set queries, and the rows are written with JDBC batches. Thread-safe.
 */
public final class CreateMultipleMessage {
    private final MessageContext context;
    private final RowPreparation preparation;
    private final BulkRows bulk;
    private final InheritedAccess inheritedAccess;

    public CreateMultipleMessage(MessageContext context) {
        this.context = context;
        this.preparation = new RowPreparation(context);
        this.bulk = new BulkRows(context.catalog(), context.database().dialect());
        this.inheritedAccess = new Cascades(context).inheritedAccess();
    }

    /**
     * @param targets the column values of each row to create, as for {@link CreateMessage.Request}
     */
    public record Request(TableDefinition table, List<Map<String, @Nullable Object>> targets, Caller caller) {}

    /** @param ids the new rows' keys, in the order of the targets */
    public record Response(List<UUID> ids) {}

    public Response execute(Request request) {
        return context.pipeline().execute(Events.identity(request.caller()),
                Events.createMultiple(request.table(), request.targets()), (tx, contexts) -> {
                    Response response = execute(tx, new Request(request.table(), Events.targets(contexts.get(0)),
                            request.caller()));
                    Events.createdMultiple(contexts, response.ids());
                    return response;
                });
    }

    Response execute(Transaction tx, Request request) {
        TableDefinition table = request.table();
        List<UUID> ids = new ArrayList<>(request.targets().size());
        Map<UUID, Integer> givenKeys = new HashMap<>();
        for (int i = 0; i < request.targets().size(); i++) {
            Object sent = request.targets().get(i).get(table.primaryIdAttribute());
            UUID id = sent instanceof UUID given ? given : RowIds.next();
            if (sent instanceof UUID given && givenKeys.putIfAbsent(given, i) != null) {
                throw Targets.failed(i, Targets.duplicateKey());
            }
            ids.add(id);
        }
        List<Map<String, @Nullable Object>> rows = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            int index = i;
            rows.add(Targets.forTarget(index, () -> {
                Map<String, @Nullable Object> values = preparation.forCreate(
                        tx, table, ids.get(index), request.targets().get(index), request.caller());
                AccessChecks.create(context, tx, table, request.targets().get(index), values, request.caller());
                return values;
            }));
        }
        Set<UUID> taken = bulk.existingIds(tx, table, givenKeys.keySet());
        for (int i = 0; i < ids.size(); i++) {
            if (taken.contains(ids.get(i))) {
                throw Targets.failed(i, Targets.duplicateKey());
            }
        }
        List<Integer> positions = Targets.identity(rows.size());
        Targets.requireReferencedRows(tx, context.catalog(), bulk, table, rows, positions);
        try {
            bulk.insertAll(tx, table, rows);
        } catch (BulkRows.RowFailure failure) {
            throw Targets.failed(failure, positions);
        }
        // rows created under a shared parent inherit its shares, as in Create
        inheritedAccess.created(tx, table, ids, rows);
        return new Response(List.copyOf(ids));
    }
}
