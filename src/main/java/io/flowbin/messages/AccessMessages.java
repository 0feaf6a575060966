package io.flowbin.messages;

import io.flowbin.data.Dialect;
import io.flowbin.data.RowIds;
import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.pipeline.PrincipalAccess;
import io.flowbin.security.AccessRight;
import io.flowbin.security.Caller;
import io.flowbin.security.Depth;
import io.flowbin.security.Shares;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The security messages: a role's privileges (AddPrivilegesRole, ReplacePrivilegesRole, RemovePrivilegeRole,
 * RetrieveRolePrivilegesRole) and the sharing of rows (GrantAccess, ModifyAccess, RevokeAccess,
 * RetrievePrincipalAccess, RetrieveSharedPrincipalsAndAccess). Each is one transaction; the sharing messages run
 * through the event pipeline, the two queries only when steps are registered on them. Thread-safe.
 */
public final class AccessMessages {
    private final MessageContext context;
    private final InheritedAccess inheritedAccess;

    public AccessMessages(MessageContext context) {
        this.context = context;
        this.inheritedAccess = new Cascades(context).inheritedAccess();
    }

    /** A privilege a role holds, and how deep. */
    public record RolePrivilege(UUID privilegeId, Depth depth, UUID businessUnitId, String privilegeName) {}

    /** A privilege to give a role. */
    public record PrivilegeGrant(UUID privilegeId, Depth depth) {}

    /** How a share request changes the principal's explicit rights. */
    public enum ShareMode {
        /** Adds the rights to those the principal has. */
        GRANT,
        /** Replaces the principal's rights. */
        MODIFY
    }

    /**
     * The check of an operation served outside the row messages (a file column's upload or download): the caller
     * must hold the right on the row.
     */
    public void requireRow(Caller caller, TableDefinition table, UUID id, AccessRight right) {
        context.database().read(tx -> {
            context.guard().requireRow(tx, caller, table, id, right);
            return null;
        });
    }

    /**
     * The check of an operation on a stored file named by its id (DownloadBlock, DeleteFile): the caller must hold the
     * right on the row the file belongs to. A file id that names no file passes, for the operation to answer.
     */
    public void requireFileRow(Caller caller, UUID fileId, AccessRight right) {
        context.database().read(tx -> {
            String sql = "SELECT " + q(tx, "objectid") + ", " + q(tx, "objecttypecode") + " FROM "
                    + q(tx, "fileattachment") + " WHERE " + q(tx, "fileattachmentid") + " = ?";
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setObject(1, fileId);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next() && rows.getObject(1, UUID.class) instanceof UUID row
                            && rows.getString(2) instanceof String tableName
                            && context.catalog().table(tableName) instanceof TableDefinition table) {
                        context.guard().requireRow(tx, caller, table, row, right);
                    }
                }
            }
            return null;
        });
    }

    /** AddPrivilegesRole (or, replacing, ReplacePrivilegesRole): needs Write on the role. */
    public void addPrivileges(UUID roleId, List<PrivilegeGrant> privileges, boolean replace, Caller caller) {
        context.database().inTransaction(tx -> {
            TableDefinition roles = table("role");
            requireExisting(tx, roles, roleId);
            context.guard().requireRow(tx, caller, roles, roleId, AccessRight.WRITE);
            if (replace) {
                execute(tx, "DELETE FROM " + q(tx, "roleprivileges") + " WHERE " + q(tx, "roleid") + " = ?", roleId);
            }
            for (PrivilegeGrant grant : privileges) {
                requireExisting(tx, table("privilege"), grant.privilegeId());
                execute(tx, "DELETE FROM " + q(tx, "roleprivileges") + " WHERE " + q(tx, "roleid") + " = ? AND "
                        + q(tx, "privilegeid") + " = ?", roleId, grant.privilegeId());
                execute(tx, "INSERT INTO " + q(tx, "roleprivileges") + " (" + q(tx, "roleprivilegeid") + ", "
                        + q(tx, "roleid") + ", " + q(tx, "privilegeid") + ", " + q(tx, "privilegedepthmask") + ", "
                        + q(tx, "versionnumber") + ") VALUES (?, ?, ?, ?, " + tx.dialect().nextVersionExpression()
                        + ")", RowIds.next(), roleId, grant.privilegeId(), grant.depth().mask());
            }
            context.guard().changed(tx, "roleprivileges");
            return null;
        });
    }

    /** RemovePrivilegeRole: needs Write on the role. */
    public void removePrivilege(UUID roleId, UUID privilegeId, Caller caller) {
        context.database().inTransaction(tx -> {
            TableDefinition roles = table("role");
            requireExisting(tx, roles, roleId);
            context.guard().requireRow(tx, caller, roles, roleId, AccessRight.WRITE);
            execute(tx, "DELETE FROM " + q(tx, "roleprivileges") + " WHERE " + q(tx, "roleid") + " = ? AND "
                    + q(tx, "privilegeid") + " = ?", roleId, privilegeId);
            context.guard().changed(tx, "roleprivileges");
            return null;
        });
    }

    /** RetrieveRolePrivilegesRole: needs Read on the role; privileges in name order. */
    public List<RolePrivilege> rolePrivileges(UUID roleId, Caller caller) {
        return context.database().read(tx -> {
            TableDefinition roles = table("role");
            StoredRow role = context.store().select(tx, roles, roleId,
                    List.of(Objects.requireNonNull(roles.column("businessunitid"))), false);
            if (role == null) {
                throw ErrorCodes.rowNotFound("role", roleId);
            }
            context.guard().requireRow(tx, caller, roles, roleId, AccessRight.READ);
            UUID unit = (UUID) Objects.requireNonNull(role.value("businessunitid"));
            String sql = "SELECT rp." + q(tx, "privilegeid") + ", rp." + q(tx, "privilegedepthmask") + ", p."
                    + q(tx, "name") + " FROM " + q(tx, "roleprivileges") + " rp JOIN " + q(tx, "privilege") + " p ON p."
                    + q(tx, "privilegeid") + " = rp." + q(tx, "privilegeid") + " WHERE rp." + q(tx, "roleid")
                    + " = ? ORDER BY p." + q(tx, "name");
            List<RolePrivilege> privileges = new ArrayList<>();
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setObject(1, roleId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Depth depth = Depth.ofMask(rows.getInt(2));
                        if (depth != null) {
                            privileges.add(new RolePrivilege(rows.getObject(1, UUID.class), depth, unit,
                                    rows.getString(3)));
                        }
                    }
                }
            }
            return privileges;
        });
    }

    /**
     * GrantAccess / ModifyAccess: needs Share on the row; the sharer can give only rights it holds itself, and not
     * to the row's owner.
     */
    public void share(EntityReference target, EntityReference principal, int mask, ShareMode mode, Caller caller) {
        TableDefinition events = table(target.table());
        context.pipeline().execute(Events.identity(caller), Events.share(mode == ShareMode.GRANT ? "GrantAccess"
                : "ModifyAccess", events, target.id(), principal, mask), (t, contexts) -> Events.sql(t, tx -> {
                    // the request as the PreOperation steps leave it
                    PrincipalAccess asked = contexts.get(0).inputParameters().get("PrincipalAccess")
                            instanceof PrincipalAccess access
                            ? access : new PrincipalAccess(Events.reference(principal), mask);
                    share(tx, target, new EntityReference(asked.principal().logicalName(), asked.principal().id()),
                            asked.accessMask(), mode, caller);
                    return null;
                }));
    }

    private void share(Transaction tx, EntityReference target, EntityReference principal, int mask, ShareMode mode,
            Caller caller) throws SQLException {
        TableDefinition table = shareable(tx, target);
        requirePrincipal(tx, principal);
        context.guard().requireRow(tx, caller, table, target.id(), AccessRight.SHARE);
        int rights = mask & AccessRight.SHAREABLE;
        StoredRow row = context.store().select(tx, table, target.id(),
                List.of(Objects.requireNonNull(table.column("ownerid"))), false);
        if (row != null && principal.id().equals(row.value("ownerid"))) {
            throw new DataverseException(400, ErrorCodes.CANNOT_SHARE_WITH_OWNER,
                    "The record cannot be shared with its owner.");
        }
        int held = context.guard().accessMask(tx, caller.userId(), table, target.id());
        if ((rights & ~held) != 0) {
            throw new DataverseException(403, ErrorCodes.PRIVILEGE_DENIED, "Principal user (Id="
                    + caller.userId() + ") cannot share " + AccessRight.names(rights & ~held)
                    + " on the record with id " + target.id() + ": it does not hold those rights itself.");
        }
        int current = 0;
        for (Shares.Share share : Shares.of(tx, target.id())) {
            if (share.principalId().equals(principal.id())) {
                current = share.explicitMask();
            }
        }
        Shares.setExplicit(tx, table.logicalName(), target.id(), principal.table(), principal.id(),
                mode == ShareMode.GRANT ? current | rights : rights);
        context.guard().changed(tx, "principalobjectaccess");
        inheritedAccess.shareChanged(tx, table, target.id(), row == null ? null : uuid(row.value("ownerid")),
                principal.id(), mode == ShareMode.GRANT ? InheritedAccess.Change.GRANTED
                        : InheritedAccess.Change.REPLACED);
    }

    /** RevokeAccess: needs Share on the row; removes the principal's explicit share. */
    public void revoke(EntityReference target, EntityReference principal, Caller caller) {
        context.pipeline().execute(Events.identity(caller), Events.revoke(table(target.table()), target.id(),
                principal), (t, contexts) -> Events.sql(t, tx -> {
                    TableDefinition table = shareable(tx, target);
                    requirePrincipal(tx, principal);
                    context.guard().requireRow(tx, caller, table, target.id(), AccessRight.SHARE);
                    Shares.setExplicit(tx, table.logicalName(), target.id(), principal.table(), principal.id(), 0);
                    context.guard().changed(tx, "principalobjectaccess");
                    StoredRow row = context.store().select(tx, table, target.id(),
                            List.of(Objects.requireNonNull(table.column("ownerid"))), false);
                    inheritedAccess.shareChanged(tx, table, target.id(),
                            row == null ? null : uuid(row.value("ownerid")), principal.id(),
                            InheritedAccess.Change.REVOKED);
                    return null;
                }));
    }

    /**
     * RetrievePrincipalAccess: the caller needs Read on the row; answers the principal's rights on it. A read of its
     * own, unless steps are registered on the message for the table.
     */
    public int principalAccess(EntityReference principal, EntityReference target, Caller caller) {
        TableDefinition table = table(target.table());
        if (!context.pipeline().hasSteps("RetrievePrincipalAccess", table)) {
            return context.database().read(tx -> principalAccess(tx, table, principal, target, caller));
        }
        return context.pipeline().execute(Events.identity(caller), Events.principalAccess(table, target.id(),
                principal), (t, contexts) -> Events.sql(t, tx -> {
                    int mask = principalAccess(tx, table, principal, target, caller);
                    contexts.get(0).outputParameters().put("AccessRights", mask);
                    return mask;
                }));
    }

    private int principalAccess(Transaction tx, TableDefinition table, EntityReference principal,
            EntityReference target, Caller caller) {
        requireExisting(tx, table, target.id());
        requirePrincipal(tx, principal);
        context.guard().requireRow(tx, caller, table, target.id(), AccessRight.READ);
        return context.guard().accessMask(tx, principal.id(), table, target.id());
    }

    /**
     * RetrieveSharedPrincipalsAndAccess: the caller needs Read on the row; answers its explicit shares. A read of its
     * own, unless steps are registered on the message for the table.
     */
    public List<Shares.Share> sharedPrincipals(EntityReference target, Caller caller) {
        TableDefinition table = table(target.table());
        if (!context.pipeline().hasSteps("RetrieveSharedPrincipalsAndAccess", table)) {
            return context.database().read(tx -> sharedPrincipals(tx, table, target, caller));
        }
        return context.pipeline().execute(Events.identity(caller), Events.sharedPrincipals(table, target.id()),
                (t, contexts) -> Events.sql(t, tx -> {
                    List<Shares.Share> shares = sharedPrincipals(tx, table, target, caller);
                    List<PrincipalAccess> accesses = new ArrayList<>(shares.size());
                    for (Shares.Share share : shares) {
                        accesses.add(new PrincipalAccess(new io.flowbin.pipeline.EntityReference(
                                share.principalTable(), share.principalId()), share.explicitMask()));
                    }
                    contexts.get(0).outputParameters().put("PrincipalAccesses", accesses);
                    return shares;
                }));
    }

    private List<Shares.Share> sharedPrincipals(Transaction tx, TableDefinition table, EntityReference target,
            Caller caller) throws SQLException {
        requireExisting(tx, table, target.id());
        context.guard().requireRow(tx, caller, table, target.id(), AccessRight.READ);
        return Shares.of(tx, target.id()).stream().filter(share -> share.explicitMask() != 0).toList();
    }

    private TableDefinition shareable(Transaction tx, EntityReference target) {
        TableDefinition table = table(target.table());
        ColumnDefinition owner = table.column("ownerid");
        if (owner == null || table.column("owninguser") == null) {
            throw ErrorCodes.invalidArgument("Rows of '" + table.logicalName() + "' are not owned by users or teams"
                    + " and cannot be shared.");
        }
        requireExisting(tx, table, target.id());
        return table;
    }

    private void requirePrincipal(Transaction tx, EntityReference principal) {
        if (!principal.table().equals("systemuser") && !principal.table().equals("team")) {
            throw ErrorCodes.invalidArgument("A principal is a systemuser or a team, not a '" + principal.table()
                    + "'.");
        }
        requireExisting(tx, table(principal.table()), principal.id());
    }

    private void requireExisting(Transaction tx, TableDefinition table, UUID id) {
        if (!context.store().exists(tx, table, id)) {
            throw ErrorCodes.rowNotFound(table.logicalName(), id);
        }
    }

    private TableDefinition table(String name) {
        TableDefinition table = context.catalog().table(name);
        if (table == null) {
            throw ErrorCodes.invalidArgument("'" + name + "' is not a table of this organization.");
        }
        return table;
    }

    private static @Nullable UUID uuid(@Nullable Object value) {
        return value instanceof UUID id ? id : null;
    }

    private static String q(Transaction tx, String identifier) {
        Dialect dialect = tx.dialect();
        return dialect.quote(identifier);
    }

    private static void execute(Transaction tx, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
