package io.flowbin.messages;

import io.flowbin.data.Transaction;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.AccessGuard;
import io.flowbin.security.AccessRight;
import io.flowbin.security.Caller;
import io.flowbin.security.Shares;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The access checks of each message, in one place so that a handler makes one call: which privileges and row rights
 * a Create, Update (or Assign), Delete or association needs, as Dataverse's security-access-rights table lists them.
 */
final class AccessChecks {
    private AccessChecks() {}

    /**
     * Create: Create at a depth covering the new row's owner, Read when the caller owns it, Append on the table and
     * Append To on each row a sent lookup points at; a new owner other than the caller must be able to read it.
     */
    static void create(MessageContext context, Transaction tx, TableDefinition table,
            Map<String, @Nullable Object> sent, Map<String, @Nullable Object> prepared, Caller caller) {
        AccessGuard guard = context.guard();
        guard.requireCreate(tx, caller, table, prepared);
        if (sent.get("ownerid") instanceof EntityReference owner && !owner.id().equals(caller.userId())) {
            guard.requirePrivilege(tx, caller, table, AccessRight.ASSIGN);
            guard.requireOwnerCanRead(tx, table, owner.id());
        }
        links(context, tx, table, sent, caller, true);
        guard.changed(tx, table.logicalName());
    }

    /**
     * Update: Write on the row for any column but the owner, Assign for a new owner (who must be able to read the
     * row's table), and Append / Append To for each lookup it sets.
     */
    static void update(MessageContext context, Transaction tx, TableDefinition table, UUID id,
            Map<String, @Nullable Object> sent, Caller caller) {
        AccessGuard guard = context.guard();
        boolean ownerChange = sent.containsKey("ownerid") && table.column("ownerid") != null;
        if (!ownerChange || sent.size() > 1) {
            guard.requireRow(tx, caller, table, id, AccessRight.WRITE);
        }
        if (ownerChange) {
            guard.requireRow(tx, caller, table, id, AccessRight.ASSIGN);
            if (sent.get("ownerid") instanceof EntityReference owner) {
                guard.requireOwnerCanRead(tx, table, owner.id());
            }
        }
        links(context, tx, table, sent, caller, false);
        guard.changed(tx, table.logicalName());
    }

    /** After an update: a user or team moved to another business unit takes the rows it owns along. */
    static void updated(MessageContext context, Transaction tx, TableDefinition table, UUID id,
            Map<String, @Nullable Object> values) {
        boolean principal = table.logicalName().equals("systemuser") || table.logicalName().equals("team");
        if (principal && values.get("businessunitid") instanceof UUID unit) {
            try {
                Shares.moveOwnedRows(tx, context.catalog().tables(), table.logicalName(), id, unit);
            } catch (SQLException e) {
                throw new IllegalStateException("The rows of " + table.logicalName() + " " + id
                        + " could not move to business unit " + unit, e);
            }
        }
    }

    /** Delete: Delete on the row; its shares go with it. */
    static void delete(MessageContext context, Transaction tx, TableDefinition table, UUID id, Caller caller)
            throws SQLException {
        context.guard().requireRow(tx, caller, table, id, AccessRight.DELETE);
        context.guard().changed(tx, table.logicalName());
        if (table.column("owninguser") != null && Shares.removeAll(tx, id) > 0) {
            context.guard().changed(tx, "principalobjectaccess");
        }
    }

    /** A many-to-many association: Append on both rows. */
    static void associate(MessageContext context, Transaction tx, TableDefinition table, UUID id,
            TableDefinition other, UUID otherId, String intersect, Caller caller) {
        context.guard().requireRow(tx, caller, table, id, AccessRight.APPEND);
        context.guard().requireRow(tx, caller, other, otherId, AccessRight.APPEND);
        context.guard().changed(tx, intersect);
    }

    /** Setting lookups: Append on this table, Append To on each row pointed at (columns the operation sets only). */
    private static void links(MessageContext context, Transaction tx, TableDefinition table,
            Map<String, @Nullable Object> sent, Caller caller, boolean creating) {
        Catalog catalog = context.catalog();
        boolean appended = false;
        for (Map.Entry<String, @Nullable Object> entry : sent.entrySet()) {
            ColumnDefinition column = table.column(entry.getKey());
            if (entry.getKey().equals("ownerid") || !(entry.getValue() instanceof EntityReference target)
                    || column == null || !(creating ? column.validForCreate() : column.validForUpdate())) {
                continue;
            }
            TableDefinition targetTable = catalog.table(target.table());
            if (targetTable == null) {
                continue;
            }
            if (!appended) {
                context.guard().requirePrivilege(tx, caller, table, AccessRight.APPEND);
                appended = true;
            }
            context.guard().requireRow(tx, caller, targetTable, target.id(), AccessRight.APPEND_TO);
        }
    }
}
