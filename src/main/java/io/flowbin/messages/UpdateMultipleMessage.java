package io.flowbin.messages;

import io.flowbin.data.BulkRows;
import io.flowbin.data.RowIds;
import io.flowbin.data.Transaction;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The UpdateMultiple and UpsertMultiple messages: many rows of one table changed in one transaction, all or nothing.
 * Each row is prepared exactly as a single Update (or, for an upsert of a missing row, a single Create) prepares
 * it, the rows' existence is checked with set queries, the writes go out as JDBC batches, and the Assign cascade and
 * the Reparent hook run for each row as for a single Update. Thread-safe.
 */
public final class UpdateMultipleMessage {
    private final MessageContext context;
    private final RowPreparation preparation;
    private final BulkRows bulk;
    private final Cascades cascades;

    public UpdateMultipleMessage(MessageContext context) {
        this.context = context;
        this.preparation = new RowPreparation(context);
        this.bulk = new BulkRows(context.catalog(), context.database().dialect());
        this.cascades = new Cascades(context);
    }

    /**
     * @param targets each row's columns, its key under the table's primary id column (required to update; an upsert
     *     target without a key creates a row with a new key)
     * @param upsert create the targets whose row does not exist instead of failing
     */
    public record Request(TableDefinition table, List<Map<String, @Nullable Object>> targets, boolean upsert,
            Caller caller) {}

    public void execute(Request request) {
        if (request.upsert()) {
            // UpsertMultiple is not an event; which rows it creates is known only inside
            context.database().inTransaction(tx -> {
                execute(tx, request);
                return null;
            });
            return;
        }
        context.pipeline().execute(Events.identity(request.caller()),
                Events.updateMultiple(request.table(), request.targets()), (tx, contexts) -> {
                    execute(tx, new Request(request.table(), Events.targets(contexts.get(0)), false,
                            request.caller()));
                    return null;
                });
    }

    void execute(Transaction tx, Request request) {
        TableDefinition table = request.table();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < request.targets().size(); i++) {
            Object key = request.targets().get(i).get(table.primaryIdAttribute());
            if (key instanceof UUID id) {
                ids.add(id);
            } else if (request.upsert()) {
                ids.add(RowIds.next());
            } else {
                throw Targets.failed(i, ErrorCodes.invalidArgument("Entity Id must be specified for Update: the '"
                        + table.primaryIdAttribute() + "' property of the target is missing."));
            }
        }
        Set<UUID> existing = new HashSet<>(bulk.existingIds(tx, table, ids));
        List<Map<String, @Nullable Object>> creates = new ArrayList<>();
        List<Integer> createTargets = new ArrayList<>();
        List<BulkRows.RowChange> updates = new ArrayList<>();
        List<Map<String, @Nullable Object>> updateRows = new ArrayList<>();
        List<Integer> updateTargets = new ArrayList<>();
        List<Cascades.@Nullable Before> befores = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            int index = i;
            UUID id = ids.get(i);
            Map<String, @Nullable Object> sent = request.targets().get(i);
            if (existing.contains(id)) {
                Map<String, @Nullable Object> values = Targets.forTarget(index, () -> {
                    AccessChecks.update(context, tx, table, id, sent, request.caller());
                    return preparation.forUpdate(tx, table, id, sent, request.caller());
                });
                befores.add(Targets.forTarget(index, () -> cascades.beforeUpdate(tx, table, id, values)));
                updates.add(new BulkRows.RowChange(id, values));
                updateRows.add(values);
                updateTargets.add(i);
            } else if (request.upsert()) {
                creates.add(Targets.forTarget(index, () -> {
                    Map<String, @Nullable Object> values = preparation.forCreate(tx, table, id, sent,
                            request.caller());
                    AccessChecks.create(context, tx, table, sent, values, request.caller());
                    return values;
                }));
                createTargets.add(i);
                existing.add(id); // a later target with the same key updates the row this one creates
            } else {
                throw Targets.failed(i, BulkRows.rowsNotFound(table, id));
            }
        }
        Targets.requireReferencedRows(tx, context.catalog(), bulk, table, creates, createTargets);
        Targets.requireReferencedRows(tx, context.catalog(), bulk, table, updateRows, updateTargets);
        try {
            bulk.insertAll(tx, table, creates);
        } catch (BulkRows.RowFailure failure) {
            throw Targets.failed(failure, createTargets);
        }
        try {
            bulk.updateAll(tx, table, updates);
        } catch (BulkRows.RowFailure failure) {
            throw Targets.failed(failure, updateTargets);
        }
        for (int i = 0; i < updates.size(); i++) {
            int index = i;
            Targets.forTarget(updateTargets.get(index), () -> {
                cascades.afterUpdate(tx, befores.get(index), updates.get(index).values());
                return null;
            });
        }
    }
}
