package io.flowbin.messages;

import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.pipeline.Entity;
import io.flowbin.pipeline.OrganizationService;
import io.flowbin.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The organisation service plug-ins call: each call runs the message (and so its own pipeline) as the step's user,
 * inside the step's transaction when it has one. Thread-safe.
 */
public final class PipelineServices implements OrganizationService.Factory {
    private final MessageContext context;
    private final CreateMessage create;
    private final UpdateMessage update;
    private final DeleteMessage delete;

    public PipelineServices(MessageContext context) {
        this.context = context;
        this.create = new CreateMessage(context);
        this.update = new UpdateMessage(context);
        this.delete = new DeleteMessage(context);
    }

    @Override
    public OrganizationService forUser(@Nullable Transaction tx, UUID userId, UUID businessUnitId,
            UUID organizationId) {
        Caller caller = new Caller(userId, businessUnitId, organizationId, null);
        return new Service(tx, caller);
    }

    private TableDefinition table(String logicalName) {
        TableDefinition table = context.catalog().table(logicalName);
        if (table == null) {
            throw ErrorCodes.invalidArgument("The table '" + logicalName + "' does not exist.");
        }
        return table;
    }

    /** One step's view of the service. */
    private final class Service implements OrganizationService {
        private final @Nullable Transaction tx;
        private final Caller caller;

        Service(@Nullable Transaction tx, Caller caller) {
            this.tx = tx;
            this.caller = caller;
        }

        @Override
        public UUID create(Entity entity) {
            TableDefinition table = table(entity.logicalName());
            Map<String, @Nullable Object> values = Events.values(entity);
            if (entity.id() != null) {
                values.put(table.primaryIdAttribute(), entity.id());
            }
            CreateMessage.Request request = new CreateMessage.Request(table, values, caller);
            return (tx == null ? create.execute(request) : create.execute(tx, request)).id();
        }

        @Override
        public Entity retrieve(String logicalName, UUID id, List<String> columns) {
            TableDefinition table = table(logicalName);
            List<ColumnDefinition> read = new ArrayList<>();
            for (ColumnDefinition column : context.catalog().storedColumns(table)) {
                if (columns.isEmpty() || columns.contains(column.logicalName())) {
                    read.add(column);
                }
            }
            StoredRow row = tx != null
                    ? context.store().select(tx, table, id, read, false)
                    : context.database().read(t -> context.store().select(t, table, id, read, false));
            if (row == null) {
                throw ErrorCodes.rowNotFound(logicalName, id);
            }
            Map<String, @Nullable Object> values = new LinkedHashMap<>(row.values());
            values.remove("versionnumber");
            return new Entity(logicalName, id, values);
        }

        @Override
        public void update(Entity entity) {
            TableDefinition table = table(entity.logicalName());
            UUID id = entity.id();
            if (id == null) {
                throw ErrorCodes.invalidArgument("Entity Id must be specified for Update.");
            }
            UpdateMessage.Request request = new UpdateMessage.Request(table, id, Events.values(entity),
                    UpdateMessage.Precondition.MUST_EXIST, null, caller);
            if (tx == null) {
                update.execute(request);
            } else {
                update.execute(tx, request);
            }
        }

        @Override
        public void delete(String logicalName, UUID id) {
            TableDefinition table = table(logicalName);
            DeleteMessage.Request request = new DeleteMessage.Request(table, id, null, caller);
            if (tx == null) {
                delete.execute(request);
            } else {
                delete.execute(tx, request);
            }
        }
    }
}
