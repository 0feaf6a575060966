package io.flowbin.messages;

import io.flowbin.data.RelationshipStore;
import io.flowbin.data.SchemaNames;
import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.RelationshipDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Associate and Disassociate messages on a collection-valued navigation property: for a one-to-many
 * relationship they set (or clear) the lookup of the child row, as an Update of the child does, cascades included;
 * for a many-to-many relationship they add (or remove) the row of the intersect table. Both run through the event
 * pipeline. Thread-safe.
 */
public final class AssociateMessage {
    private final MessageContext context;
    private final UpdateMessage update;
    private final RelationshipStore relationships;

    public AssociateMessage(MessageContext context) {
        this.context = context;
        this.update = new UpdateMessage(context);
        this.relationships = new RelationshipStore(context.catalog(), context.database().dialect());
    }

    /**
     * @param navigation a collection-valued navigation property of {@code table}
     * @param related the row on the other side
     * @param associate true to link the rows, false to unlink them
     */
    public record Request(TableDefinition table, UUID id, NavigationProperty navigation, EntityReference related,
            boolean associate, Caller caller) {}

    /**
     * Raises Associate or Disassociate with the target, the relationship's schema name and the related row; a step on
     * the table of either side fires.
     */
    public void execute(Request request) {
        RelationshipDefinition relationship = context.catalog().relationship(request.navigation().relationship());
        String schemaName = relationship == null ? request.navigation().relationship() : relationship.schemaName();
        context.pipeline().execute(Events.identity(request.caller()), Events.associate(request.associate(),
                request.table(), request.id(), schemaName, List.of(request.related())), (tx, contexts) -> {
                    execute(tx, request);
                    return null;
                });
    }

    private void execute(Transaction tx, Request request) {
        NavigationProperty navigation = request.navigation();
        RelationshipDefinition relationship = context.catalog().relationship(navigation.relationship());
        TableDefinition other = context.catalog().table(navigation.targets().get(0));
        if (relationship == null || other == null || !navigation.collection()) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "'" + navigation.name()
                    + "' is not a collection-valued navigation property of a loaded relationship.");
        }
        if (!request.related().table().equals(other.logicalName())) {
            throw ErrorCodes.invalidArgument("The navigation property '" + navigation.name() + "' of '"
                    + request.table().logicalName() + "' leads to '" + other.logicalName() + "' rows, not to '"
                    + request.related().table() + "' rows.");
        }
        if (relationship.kind() == RelationshipDefinition.Kind.ONE_TO_MANY) {
            linkChild(tx, request, other, navigation.column());
        } else {
            linkIntersect(tx, request, relationship);
        }
    }

    private void linkChild(Transaction tx, Request request, TableDefinition child, String column) {
        UUID childId = request.related().id();
        Map<String, @Nullable Object> values = new HashMap<>();
        if (request.associate()) {
            values.put(column, new EntityReference(request.table().logicalName(), request.id()));
            if (!context.store().exists(tx, request.table(), request.id())) {
                throw ErrorCodes.rowNotFound(request.table().logicalName(), request.id());
            }
        } else {
            StoredRow row = context.store().select(tx, child, childId,
                    List.of(Objects.requireNonNull(child.column(column))), false);
            if (row == null) {
                throw ErrorCodes.rowNotFound(child.logicalName(), childId);
            }
            if (!request.id().equals(row.value(column))) {
                return; // the rows are not linked: nothing to remove
            }
            values.put(column, null);
        }
        update.execute(tx, new UpdateMessage.Request(child, childId, values, UpdateMessage.Precondition.MUST_EXIST,
                null, request.caller()));
    }

    private void linkIntersect(Transaction tx, Request request, RelationshipDefinition relationship) {
        SchemaNames.IntersectTable intersect = relationships.intersectTable(relationship.schemaName());
        if (intersect == null) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY, "The relationship '"
                    + relationship.schemaName() + "' has no intersect table.");
        }
        for (EntityReference end : List.of(new EntityReference(request.table().logicalName(), request.id()),
                request.related())) {
            TableDefinition table = Objects.requireNonNull(context.catalog().table(end.table()));
            if (!context.store().exists(tx, table, end.id())) {
                throw ErrorCodes.rowNotFound(end.table(), end.id());
            }
        }
        AccessChecks.associate(context, tx, request.table(), request.id(),
                Objects.requireNonNull(context.catalog().table(request.related().table())), request.related().id(),
                intersect.name(), request.caller());
        boolean thisIsFirst = intersect.firstTable().equals(request.table().logicalName());
        UUID first = thisIsFirst ? request.id() : request.related().id();
        UUID second = thisIsFirst ? request.related().id() : request.id();
        if (request.associate()) {
            relationships.associate(tx, intersect, first, second);
        } else {
            relationships.disassociate(tx, intersect, first, second);
        }
    }
}
