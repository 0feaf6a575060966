package io.flowbin.security;

import io.flowbin.data.Database;
import io.flowbin.data.Dialect;
import io.flowbin.data.RecordStore;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.TableDefinition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Makes sure the organization exists at start: one root business unit (whose {@code organizationid} is the
 * organization's id), the administrator user with the configured object id in it, the privileges of every served
 * table, and the System Administrator role holding all of them at Global depth, assigned to the administrator.
 * Idempotent; safe to run on every node at every start.
 */
public final class OrganizationBootstrap {
    private OrganizationBootstrap() {}

    /** The name of the role that holds every privilege at Global depth. */
    public static final String SYSTEM_ADMINISTRATOR = "System Administrator";

    /** The organization's ids after start. */
    public record Organization(UUID organizationId, UUID rootBusinessUnitId, UUID adminUserId,
            UUID systemAdministratorRoleId) {}

    public static Organization ensure(Database database, Catalog catalog, RecordStore store, UUID adminObjectId) {
        return database.inTransaction(tx -> {
            TableDefinition units = Objects.requireNonNull(catalog.table("businessunit"), "businessunit table");
            TableDefinition users = Objects.requireNonNull(catalog.table("systemuser"), "systemuser table");
            UUID[] root = findRoot(tx);
            UUID rootUnit;
            UUID organization;
            if (root == null) {
                rootUnit = UUID.randomUUID();
                organization = UUID.randomUUID();
                Map<String, @Nullable Object> unit = new LinkedHashMap<>();
                unit.put("businessunitid", rootUnit);
                unit.put("name", "flowbin");
                unit.put("organizationid", organization);
                unit.put("isdisabled", false);
                stamp(units, unit, null);
                store.insert(tx, units, unit);
            } else {
                rootUnit = root[0];
                organization = root[1];
            }
            UUID admin = findUser(tx, adminObjectId);
            if (admin == null) {
                admin = UUID.randomUUID();
                Map<String, @Nullable Object> user = new LinkedHashMap<>();
                user.put("systemuserid", admin);
                user.put("azureactivedirectoryobjectid", adminObjectId);
                user.put("businessunitid", rootUnit);
                user.put("firstname", "flowbin");
                user.put("lastname", "Administrator");
                user.put("fullname", "flowbin Administrator");
                user.put("domainname", "admin@flowbin.local");
                user.put("internalemailaddress", "admin@flowbin.local");
                user.put("isdisabled", false);
                stamp(users, user, admin);
                store.insert(tx, users, user);
            }
            UUID role = ensureAdministratorRole(tx, catalog, store, rootUnit, organization, admin);
            return new Organization(organization, rootUnit, admin, role);
        });
    }

    private static UUID ensureAdministratorRole(Transaction tx, Catalog catalog, RecordStore store, UUID rootUnit,
            UUID organization, UUID admin) throws SQLException {
        TableDefinition privileges = Objects.requireNonNull(catalog.table("privilege"), "privilege table");
        TableDefinition roles = Objects.requireNonNull(catalog.table("role"), "role table");
        TableDefinition rolePrivileges = Objects.requireNonNull(catalog.table("roleprivileges"), "roleprivileges");
        // the role's id is derived from the organization's, so that concurrent starts agree on it
        UUID role = UUID.nameUUIDFromBytes(("flowbin-sysadmin:" + organization).getBytes(StandardCharsets.UTF_8));
        if (!store.exists(tx, roles, role)) {
            Map<String, @Nullable Object> values = new LinkedHashMap<>();
            values.put("roleid", role);
            values.put("name", SYSTEM_ADMINISTRATOR);
            values.put("businessunitid", rootUnit);
            values.put("organizationid", organization);
            values.put("parentrootroleid", role);
            values.put("isinherited", 1);
            values.put("issytemgenerated", true);
            values.put("description", "Full access to all data and every operation.");
            stamp(roles, values, admin);
            store.insert(tx, roles, values);
        }
        for (PrivilegeNames.Privilege privilege : PrivilegeNames.all(catalog)) {
            if (!store.exists(tx, privileges, privilege.id())) {
                Map<String, @Nullable Object> values = new LinkedHashMap<>();
                values.put("privilegeid", privilege.id());
                values.put("name", privilege.name());
                values.put("accessright", privilege.accessRight());
                values.put("canbebasic", privilege.depthsApply());
                values.put("canbelocal", privilege.depthsApply());
                values.put("canbedeep", privilege.depthsApply());
                values.put("canbeglobal", true);
                store.insert(tx, privileges, values);
            }
            UUID grant = UUID.nameUUIDFromBytes((role + ":" + privilege.id()).getBytes(StandardCharsets.UTF_8));
            if (!store.exists(tx, rolePrivileges, grant)) {
                Map<String, @Nullable Object> values = new LinkedHashMap<>();
                values.put("roleprivilegeid", grant);
                values.put("roleid", role);
                values.put("privilegeid", privilege.id());
                values.put("privilegedepthmask", Depth.GLOBAL.mask());
                store.insert(tx, rolePrivileges, values);
            }
        }
        Dialect dialect = tx.dialect();
        String held = "SELECT 1 FROM " + dialect.quote("systemuserroles") + " WHERE " + dialect.quote("systemuserid")
                + " = ? AND " + dialect.quote("roleid") + " = ?";
        boolean holds;
        try (PreparedStatement statement = tx.connection().prepareStatement(held)) {
            statement.setObject(1, admin);
            statement.setObject(2, role);
            try (ResultSet rows = statement.executeQuery()) {
                holds = rows.next();
            }
        }
        if (!holds) {
            String insert = "INSERT INTO " + dialect.quote("systemuserroles") + " (" + dialect.quote("systemuserrolesid")
                    + ", " + dialect.quote("systemuserid") + ", " + dialect.quote("roleid") + ", "
                    + dialect.quote("versionnumber") + ") VALUES (?, ?, ?, " + dialect.nextVersionExpression() + ")";
            try (PreparedStatement statement = tx.connection().prepareStatement(insert)) {
                statement.setObject(1, UUID.randomUUID());
                statement.setObject(2, admin);
                statement.setObject(3, role);
                statement.executeUpdate();
            }
        }
        return role;
    }

    private static void stamp(TableDefinition table, Map<String, @Nullable Object> values, @Nullable UUID creator) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        for (String column : new String[] {"createdon", "modifiedon"}) {
            if (table.column(column) != null) {
                values.put(column, now);
            }
        }
        if (creator != null) {
            for (String column : new String[] {"createdby", "modifiedby"}) {
                if (table.column(column) != null) {
                    values.put(column, creator);
                }
            }
        }
        values.keySet().removeIf(column -> table.column(column) == null);
    }

    private static UUID @Nullable [] findRoot(Transaction tx) throws SQLException {
        Dialect dialect = tx.dialect();
        String sql = "SELECT " + dialect.quote("businessunitid") + ", " + dialect.quote("organizationid") + " FROM "
                + dialect.quote("businessunit") + " WHERE " + dialect.quote("parentbusinessunitid") + " IS NULL";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? new UUID[] {rows.getObject(1, UUID.class), rows.getObject(2, UUID.class)} : null;
        }
    }

    private static @Nullable UUID findUser(Transaction tx, UUID objectId) throws SQLException {
        Dialect dialect = tx.dialect();
        String sql = "SELECT " + dialect.quote("systemuserid") + " FROM " + dialect.quote("systemuser") + " WHERE "
                + dialect.quote("azureactivedirectoryobjectid") + " = ?";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, objectId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getObject(1, UUID.class) : null;
            }
        }
    }
}
