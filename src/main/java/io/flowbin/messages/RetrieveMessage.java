package io.flowbin.messages;

import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.pipeline.Entity;
import io.flowbin.pipeline.EventPipeline;
import io.flowbin.pipeline.ExecutionContext;
import io.flowbin.security.AccessRight;
import io.flowbin.security.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Retrieve message: one row by id, the asked-for columns only. Without steps on Retrieve for the table it is an
 * auto-commit read (the hottest path of the server), which concurrent retrieves of other rows may share; with steps it
 * runs through the pipeline in a transaction, and what a PostOperation step leaves in {@code BusinessEntity} is what
 * the client receives. Thread-safe.
 */
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
        if (context.pipeline().hasSteps("Retrieve", request.table())) {
            return throughSteps(request);
        }
        // the access check first (its own statements, if it needs any), then the row in a statement that concurrent
        // retrieves of the same table and columns may share
        context.database().read(tx -> {
            context.guard().requireRow(tx, request.caller(), request.table(), request.id(), AccessRight.READ);
            return null;
        });
        StoredRow row = context.store().selectShared(context.database(), request.table(), request.id(),
                request.columns(), request.withLookupNames());
        if (row == null) {
            throw ErrorCodes.rowNotFound(request.table().logicalName(), request.id());
        }
        return row;
    }

    private @Nullable StoredRow read(Transaction tx, Request request) {
        context.guard().requireRow(tx, request.caller(), request.table(), request.id(), AccessRight.READ);
        return context.store().select(tx, request.table(), request.id(), request.columns(), request.withLookupNames());
    }

    private StoredRow throughSteps(Request request) {
        EventPipeline pipeline = context.pipeline();
        List<String> columns = request.columns().stream().map(ColumnDefinition::logicalName).toList();
        Retrieved retrieved = pipeline.execute(Events.identity(request.caller()),
                Events.retrieve(request.table(), request.id(), columns), (tx, contexts) -> {
                    StoredRow row = read(tx, request);
                    if (row == null) {
                        throw ErrorCodes.rowNotFound(request.table().logicalName(), request.id());
                    }
                    ExecutionContext operation = contexts.get(0);
                    operation.outputParameters().put("BusinessEntity",
                            pipeline.entity(request.table(), request.id(), row.values()));
                    return new Retrieved(row, operation);
                });
        Object output = retrieved.operation().outputParameters().get("BusinessEntity");
        return output instanceof Entity entity ? stored(retrieved.row(), entity) : retrieved.row();
    }

    /** The row read and the operation whose outputs the PostOperation steps may have changed. */
    private record Retrieved(StoredRow row, ExecutionContext operation) {}

    /**
     * The stored row with the values of the entity a step returned: changed columns take its values, columns it
     * removed become empty; lookups go back to ids.
     */
    static StoredRow stored(StoredRow row, Entity entity) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>(row.values());
        for (Map.Entry<String, @Nullable Object> column : row.values().entrySet()) {
            String name = column.getKey();
            if (name.equals("versionnumber") || name.endsWith("type") && row.values().containsKey(
                    name.substring(0, name.length() - 4))) {
                continue;
            }
            if (entity.contains(name)) {
                Object value = entity.get(name);
                if (value instanceof io.flowbin.pipeline.EntityReference reference) {
                    values.put(name, reference.id());
                    if (row.values().containsKey(name + "type")) {
                        values.put(name + "type", reference.logicalName());
                    }
                } else {
                    values.put(name, value);
                }
            } else if (column.getValue() != null) {
                values.put(name, null);
            }
        }
        return new StoredRow(values, row.lookupNames());
    }

    /** The row of an entity a step added to a result: its values as stored, lookups as ids. */
    static StoredRow added(TableDefinition table, Entity entity) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        if (entity.id() != null) {
            values.put(table.primaryIdAttribute(), entity.id());
        }
        entity.attributes().forEach((name, value) -> values.put(name,
                value instanceof io.flowbin.pipeline.EntityReference reference ? reference.id() : value));
        return new StoredRow(values, Map.of());
    }
}
