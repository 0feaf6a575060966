package io.flowbin.security;

import io.flowbin.data.Dialect;
import io.flowbin.data.RowIds;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.TableDefinition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rows of {@code principalobjectaccess}: one per shared row and principal, its explicit rights in
 * {@code accessrightsmask} and those inherited from a parent in {@code inheritedaccessrightsmask}. Statements run on
 * the caller's transaction.
 */
public final class Shares {
    private static final String TABLE = "principalobjectaccess";

    private Shares() {}

    /** One principal's share of a row. */
    public record Share(UUID principalId, String principalTable, int explicitMask, int inheritedMask) {}

    /** The shares of a row, principals in id order. */
    public static List<Share> of(Transaction tx, UUID objectId) throws SQLException {
        Dialect d = tx.dialect();
        String sql = "SELECT " + d.quote("principalid") + ", " + d.quote("principaltypecode") + ", "
                + d.quote("accessrightsmask") + ", " + d.quote("inheritedaccessrightsmask") + " FROM " + d.quote(TABLE)
                + " WHERE " + d.quote("objectid") + " = ? ORDER BY " + d.quote("principalid");
        List<Share> shares = new ArrayList<>();
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, objectId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    shares.add(new Share(rows.getObject(1, UUID.class), rows.getString(2), rows.getInt(3),
                            rows.getInt(4)));
                }
            }
        }
        return shares;
    }

    /**
     * Sets a principal's explicit rights on a row, creating the share when there is none; a share left with no
     * rights at all is removed.
     */
    public static void setExplicit(Transaction tx, String objectTable, UUID objectId, String principalTable,
            UUID principalId, int mask) throws SQLException {
        Dialect d = tx.dialect();
        Share existing = null;
        for (Share share : of(tx, objectId)) {
            if (share.principalId().equals(principalId)) {
                existing = share;
            }
        }
        if (existing == null && mask == 0) {
            return;
        }
        if (existing != null && mask == 0 && existing.inheritedMask() == 0) {
            remove(tx, objectId, principalId);
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (existing == null) {
            String sql = "INSERT INTO " + d.quote(TABLE) + " (" + d.quote("principalobjectaccessid") + ", "
                    + d.quote("objectid") + ", " + d.quote("objecttypecode") + ", " + d.quote("principalid") + ", "
                    + d.quote("principaltypecode") + ", " + d.quote("accessrightsmask") + ", "
                    + d.quote("inheritedaccessrightsmask") + ", " + d.quote("changedon") + ", "
                    + d.quote("versionnumber") + ") VALUES (?, ?, ?, ?, ?, ?, 0, ?, " + d.nextVersionExpression()
                    + ")";
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setObject(1, RowIds.next());
                statement.setObject(2, objectId);
                statement.setString(3, objectTable);
                statement.setObject(4, principalId);
                statement.setString(5, principalTable);
                statement.setInt(6, mask);
                statement.setObject(7, now);
                statement.executeUpdate();
            }
            return;
        }
        String sql = "UPDATE " + d.quote(TABLE) + " SET " + d.quote("accessrightsmask") + " = ?, "
                + d.quote("changedon") + " = ?, " + d.quote("versionnumber") + " = " + d.nextVersionExpression()
                + " WHERE " + d.quote("objectid") + " = ? AND " + d.quote("principalid") + " = ?";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setInt(1, mask);
            statement.setObject(2, now);
            statement.setObject(3, objectId);
            statement.setObject(4, principalId);
            statement.executeUpdate();
        }
    }

    /**
     * Moves the rows a user or team owns to its new business unit, in every table of user-owned rows, as Dataverse
     * does when a principal changes unit; each moved row takes a new version.
     */
    public static void moveOwnedRows(Transaction tx, Iterable<TableDefinition> tables, String principalTable,
            UUID principal, UUID unit) throws SQLException {
        Dialect d = tx.dialect();
        String owner = principalTable.equals("team") ? "owningteam" : "owninguser";
        for (TableDefinition table : tables) {
            if (Ownership.of(table) != Ownership.PRINCIPAL) {
                continue;
            }
            String version = table.column("versionnumber") == null ? ""
                    : ", " + d.quote("versionnumber") + " = " + d.nextVersionExpression();
            String sql = "UPDATE " + d.quote(table.logicalName()) + " SET " + d.quote("owningbusinessunit") + " = ?"
                    + version + " WHERE " + d.quote(owner) + " = ? AND " + d.quote("owningbusinessunit") + " <> ?";
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setObject(1, unit);
                statement.setObject(2, principal);
                statement.setObject(3, unit);
                statement.executeUpdate();
            }
        }
    }

    /** Whether any share names one of the principals. */
    public static boolean anyFor(Transaction tx, List<UUID> principals) throws SQLException {
        return anyWhere(tx, "principalid", principals);
    }

    /** Whether any share holds one of these values in this column; one index probe. */
    static boolean anyWhere(Transaction tx, String column, List<?> values) throws SQLException {
        if (values.isEmpty()) {
            return false;
        }
        Dialect d = tx.dialect();
        String sql = "SELECT 1 FROM " + d.quote(TABLE) + " WHERE " + d.quote(column) + " IN ("
                + "?, ".repeat(values.size() - 1) + "?) FETCH FIRST 1 ROWS ONLY";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether any row of this table is shared (explicitly or by inheritance) with anyone. */
    public static boolean anyOf(Transaction tx, String table) throws SQLException {
        return anyWhere(tx, "objecttypecode", List.of(table));
    }

    /** Removes one principal's share of a row. */
    public static void remove(Transaction tx, UUID objectId, UUID principalId) throws SQLException {
        Dialect d = tx.dialect();
        String sql = "DELETE FROM " + d.quote(TABLE) + " WHERE " + d.quote("objectid") + " = ? AND "
                + d.quote("principalid") + " = ?";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, objectId);
            statement.setObject(2, principalId);
            statement.executeUpdate();
        }
    }

    /** Removes every share of a deleted row; returns how many there were. */
    public static int removeAll(Transaction tx, UUID objectId) throws SQLException {
        Dialect d = tx.dialect();
        try (PreparedStatement statement = tx.connection().prepareStatement("DELETE FROM " + d.quote(TABLE)
                + " WHERE " + d.quote("objectid") + " = ?")) {
            statement.setObject(1, objectId);
            return statement.executeUpdate();
        }
    }
}
