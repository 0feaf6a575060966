package io.flowbin.messages;

import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.OwnershipType;
import io.flowbin.metadata.RequiredLevel;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.Caller;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns the values a client sent into the values a row stores, as Dataverse does on Create and Update: columns not
 * valid for the operation are dropped, each value is checked against its column, defaults and the state/status pair
 * are filled in, the owner columns follow the owner, and the system columns (created/modified on and by, on behalf
 * of) are set by the server.
 */
final class RowPreparation {
    private final MessageContext context;

    RowPreparation(MessageContext context) {
        this.context = context;
    }

    Map<String, @Nullable Object> forCreate(Transaction tx, TableDefinition table, UUID id,
            Map<String, @Nullable Object> sent, Caller caller) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        OffsetDateTime now = now();
        for (Map.Entry<String, @Nullable Object> entry : sent.entrySet()) {
            ColumnDefinition column = table.column(entry.getKey());
            if (column != null && (column.validForCreate() || directoryLink(table, column))) {
                ColumnRules.check(table, column, entry.getValue());
                values.put(column.logicalName(), entry.getValue());
            }
        }
        values.put(table.primaryIdAttribute(), id);
        for (ColumnDefinition column : context.catalog().storedColumns(table)) {
            if (!values.containsKey(column.logicalName()) && column.defaultValue() != null && column.validForCreate()
                    && !column.logicalName().equals(StateRules.STATUS)) {
                values.put(column.logicalName(), defaultOf(column));
            } else if (!values.containsKey(column.logicalName()) && column.type() == AttributeType.MANAGEDPROPERTY) {
                // a managed property the client leaves out keeps its unmanaged default: the change is allowed
                values.put(column.logicalName(), true);
            }
        }
        StateRules.apply(table, values, true, id);
        applyOwner(tx, table, values, caller, true);
        resolveReferences(tx, table, values);
        Object overridden = values.get("overriddencreatedon");
        setIfColumn(table, values, "createdon", overridden != null ? overridden : now);
        if (overridden != null) { // Dataverse keeps the real creation time in overriddencreatedon
            values.put("overriddencreatedon", now);
        }
        setIfColumn(table, values, "modifiedon", now);
        setIfColumn(table, values, "createdby", caller.userId());
        setIfColumn(table, values, "modifiedby", caller.userId());
        setIfColumn(table, values, "createdonbehalfby", caller.onBehalfOf());
        setIfColumn(table, values, "modifiedonbehalfby", caller.onBehalfOf());
        requireSystemRequired(table, values);
        requireParentUnit(table, values, true);
        return values;
    }

    /** Business units form one tree: every unit but the root (made at start) has a parent, never itself. */
    private static void requireParentUnit(TableDefinition table, Map<String, @Nullable Object> values,
            boolean creating) {
        if (!table.logicalName().equals("businessunit")
                || (!creating && !values.containsKey("parentbusinessunitid"))) {
            return;
        }
        Object parent = values.get("parentbusinessunitid");
        if (parent == null || parent.equals(values.get("businessunitid"))) {
            throw ErrorCodes.invalidArgument("A business unit needs a parent business unit other than itself: "
                    + "an organization has one root business unit.");
        }
    }

    /**
     * A user's Entra object id, read-only in Dataverse where directory sync sets it: here the administrator who adds
     * the user sets it, as the only way to tie tokens to a new user.
     */
    private static boolean directoryLink(TableDefinition table, ColumnDefinition column) {
        return table.logicalName().equals("systemuser") && column.logicalName().equals("azureactivedirectoryobjectid");
    }

    Map<String, @Nullable Object> forUpdate(Transaction tx, TableDefinition table, UUID id,
            Map<String, @Nullable Object> sent, Caller caller) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, @Nullable Object> entry : sent.entrySet()) {
            ColumnDefinition column = table.column(entry.getKey());
            if (column == null || !column.validForUpdate() || column.logicalName().equals(table.primaryIdAttribute())) {
                continue;
            }
            if (entry.getValue() == null && column.requiredLevel() == RequiredLevel.SYSTEM_REQUIRED) {
                throw new DataverseException(
                        400,
                        ErrorCodes.REQUIRED_FIELD_MISSING,
                        "Required field missing. The SystemRequired attribute '" + column.logicalName() + "' of the '"
                                + table.logicalName() + "' entity cannot be set to null.");
            }
            ColumnRules.check(table, column, entry.getValue());
            values.put(column.logicalName(), entry.getValue());
        }
        values.remove("owneridtype");
        keepCurrentState(tx, table, id, values);
        StateRules.apply(table, values, false, id);
        if (values.containsKey("ownerid")) {
            applyOwner(tx, table, values, caller, false);
        }
        resolveReferences(tx, table, values);
        requireParentUnit(table, values, false);
        if (table.logicalName().equals("businessunit") && id.equals(values.get("parentbusinessunitid"))) {
            throw ErrorCodes.invalidArgument("A business unit cannot be its own parent.");
        }
        setIfColumn(table, values, "modifiedon", now());
        setIfColumn(table, values, "modifiedby", caller.userId());
        setIfColumn(table, values, "modifiedonbehalfby", caller.onBehalfOf());
        return values;
    }

    /**
     * A status reason sent without a state must belong to the row's current state, as in Dataverse, which answers
     * InvalidStateCodeStatusCode otherwise; only a new state may bring a status of another state.
     */
    private void keepCurrentState(Transaction tx, TableDefinition table, UUID id, Map<String, @Nullable Object> values) {
        ColumnDefinition state = table.column(StateRules.STATE);
        if (state == null || !values.containsKey(StateRules.STATUS) || values.get(StateRules.STATUS) == null
                || values.containsKey(StateRules.STATE)) {
            return;
        }
        StoredRow row = context.store().select(tx, table, id, List.of(state), false);
        if (row != null && row.value(StateRules.STATE) != null) {
            values.put(StateRules.STATE, row.value(StateRules.STATE));
        }
    }

    private OffsetDateTime now() {
        // Dataverse keeps whole seconds
        return OffsetDateTime.now(context.clock()).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    }

    private static Object defaultOf(ColumnDefinition column) {
        Integer value = column.defaultValue();
        if (column.type() == AttributeType.BOOLEAN || column.type() == AttributeType.MANAGEDPROPERTY) {
            return value != null && value != 0;
        }
        return value;
    }

    private static void setIfColumn(TableDefinition table, Map<String, @Nullable Object> values, String column,
            @Nullable Object value) {
        if (table.column(column) != null) {
            values.put(column, value);
        }
    }

    /** Sets ownerid, owneridtype, owninguser/owningteam and owningbusinessunit from the owner (default: caller). */
    private void applyOwner(Transaction tx, TableDefinition table, Map<String, @Nullable Object> values, Caller caller,
            boolean creating) {
        ColumnDefinition owner = table.column("ownerid");
        if (owner == null || owner.type() != AttributeType.OWNER) {
            if (creating && table.column("owningbusinessunit") != null && !values.containsKey("owningbusinessunit")) {
                Object unit = values.get("businessunitid");
                values.put("owningbusinessunit", unit instanceof EntityReference ref ? ref.id()
                        : unit != null ? unit : caller.businessUnitId());
            }
            return;
        }
        EntityReference reference = values.get("ownerid") instanceof EntityReference ref
                ? ref
                : new EntityReference("systemuser", caller.userId());
        UUID businessUnit = reference.table().equals("systemuser") && reference.id().equals(caller.userId())
                ? caller.businessUnitId()
                : businessUnitOf(tx, reference);
        values.put("ownerid", reference.id());
        setIfColumn(table, values, "owneridtype", reference.table());
        setIfColumn(table, values, "owninguser", reference.table().equals("systemuser") ? reference.id() : null);
        setIfColumn(table, values, "owningteam", reference.table().equals("team") ? reference.id() : null);
        setIfColumn(table, values, "owningbusinessunit", businessUnit);
        if (table.ownershipType() != OwnershipType.USER_OWNED && table.ownershipType() != OwnershipType.TEAM_OWNED) {
            values.remove("owneridtype");
        }
    }

    private UUID businessUnitOf(Transaction tx, EntityReference principal) {
        TableDefinition principalTable = context.catalog().table(principal.table());
        ColumnDefinition unitColumn = principalTable == null ? null : principalTable.column("businessunitid");
        if (principalTable == null || unitColumn == null) {
            throw ErrorCodes.invalidArgument("A row of '" + principal.table() + "' cannot own rows.");
        }
        StoredRow row = context.store().select(tx, principalTable, principal.id(), List.of(unitColumn), false);
        if (row == null) {
            throw ErrorCodes.rowNotFound(principal.table(), principal.id());
        }
        return (UUID) java.util.Objects.requireNonNull(row.value("businessunitid"));
    }

    /** Replaces references by their ids, checking that the referenced rows exist where no foreign key does. */
    private void resolveReferences(Transaction tx, TableDefinition table, Map<String, @Nullable Object> values) {
        for (Map.Entry<String, @Nullable Object> entry : values.entrySet()) {
            if (entry.getValue() instanceof EntityReference reference) {
                ColumnDefinition column = table.column(entry.getKey());
                boolean checkedByForeignKey = column != null && column.type() == AttributeType.LOOKUP
                        && context.catalog().loadedTargets(column).size() == 1
                        && column.targets().size() == 1;
                if (!checkedByForeignKey) {
                    TableDefinition target = context.catalog().table(reference.table());
                    if (target == null || !context.store().exists(tx, target, reference.id())) {
                        throw ErrorCodes.rowNotFound(reference.table(), reference.id());
                    }
                }
                entry.setValue(reference.id());
            }
        }
    }

    private void requireSystemRequired(TableDefinition table, Map<String, @Nullable Object> values) {
        for (ColumnDefinition column : context.catalog().storedColumns(table)) {
            if (column.requiredLevel() == RequiredLevel.SYSTEM_REQUIRED && column.validForCreate()
                    && values.get(column.logicalName()) == null) {
                throw new DataverseException(
                        400,
                        ErrorCodes.REQUIRED_FIELD_MISSING,
                        "Required field missing. The SystemRequired attribute '" + column.logicalName() + "' of the '"
                                + table.logicalName() + "' entity must have a value.");
            }
        }
    }
}
