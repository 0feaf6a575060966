package io.flowbin.security;

import io.flowbin.data.Dialect;
import io.flowbin.data.RelationshipStore;
import io.flowbin.data.RowSet;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.CascadeConfiguration.CascadeType;
import io.flowbin.metadata.TableDefinition;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The rights rows inherit from their parents through relationships that cascade Share, kept in
 * {@code principalobjectaccess.inheritedaccessrightsmask}. A row's inherited rights for a principal are the union of
 * what each parent reached through such a relationship holds for that principal (explicitly or inherited in turn);
 * they are recomputed from the parents, never adjusted, so that granting, revoking and moving a row to another parent
 * all end in the same state. Each call is a fixed number of set-based statements, however many rows the set holds.
 * Statements run on the caller's transaction. Thread-safe.
 */
public final class InheritedShares {
    private static final String TABLE = "principalobjectaccess";

    private InheritedShares() {}

    /**
     * A relationship a table inherits rights through: its lookup {@code column} names a row of {@code parent}, and
     * the relationship's Share cascade is {@code type} (Cascade, Active or UserOwned).
     */
    public record Source(TableDefinition parent, String column, CascadeType type) {}

    /**
     * Recomputes the inherited rights of the rows of the set from their parents, for one principal or (null) for
     * all: adds a share for a principal a parent shares with, sets each share's inherited rights, and removes shares
     * left with no rights at all. Returns whether any share changed.
     */
    public static boolean recompute(Transaction tx, RelationshipStore store, RowSet rows, List<Source> sources,
            @Nullable UUID principal) throws SQLException {
        Dialect d = tx.dialect();
        TableDefinition table = rows.table();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int changed = 0;
        for (Source source : sources) {
            changed += insertMissing(tx, store, rows, source, principal, now);
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(now);
        StringBuilder inherited = new StringBuilder("0");
        for (Source source : sources) {
            inherited = new StringBuilder(d.bitOr(inherited.toString(), "COALESCE((" + parentMask(d, table, source,
                    "t." + d.quote("objectid"), "t." + d.quote("principalid")) + "), 0)"));
        }
        String update = "UPDATE " + d.quote(TABLE) + " t SET " + d.quote("inheritedaccessrightsmask") + " = "
                + inherited + ", " + d.quote("changedon") + " = ?, " + d.quote("versionnumber") + " = "
                + d.nextVersionExpression() + " WHERE t." + d.quote("objectid") + " IN (" + store.keyList(rows,
                        parameters) + ")" + principalCondition(d, "t", principal, parameters);
        changed += execute(tx, update, parameters);
        changed += removeEmpty(tx, store, rows, principal);
        return changed > 0;
    }

    /** Removes every share of the rows of the set (rows a cascade is about to delete); returns how many. */
    public static int removeAll(Transaction tx, RelationshipStore store, RowSet rows) throws SQLException {
        Dialect d = tx.dialect();
        List<Object> parameters = new ArrayList<>();
        String sql = "DELETE FROM " + d.quote(TABLE) + " WHERE " + d.quote("objectid") + " IN ("
                + store.keyList(rows, parameters) + ")";
        return execute(tx, sql, parameters);
    }

    /** Whether any of these rows is shared at all: one index probe, before any recomputation. */
    public static boolean anyShared(Transaction tx, List<UUID> rows) throws SQLException {
        return Shares.anyWhere(tx, "objectid", rows);
    }

    /** Adds an empty share for each principal a parent shares with and the row has none for yet. */
    private static int insertMissing(Transaction tx, RelationshipStore store, RowSet rows, Source source,
            @Nullable UUID principal, OffsetDateTime now) throws SQLException {
        Dialect d = tx.dialect();
        TableDefinition table = rows.table();
        String key = "c." + d.quote(table.primaryIdAttribute());
        List<Object> parameters = new ArrayList<>();
        parameters.add(table.logicalName());
        parameters.add(now);
        String sql = "INSERT INTO " + d.quote(TABLE) + " (" + d.quote("principalobjectaccessid") + ", "
                + d.quote("objectid") + ", " + d.quote("objecttypecode") + ", " + d.quote("principalid") + ", "
                + d.quote("principaltypecode") + ", " + d.quote("accessrightsmask") + ", "
                + d.quote("inheritedaccessrightsmask") + ", " + d.quote("changedon") + ", "
                + d.quote("versionnumber") + ") SELECT " + d.randomUuidExpression() + ", " + key + ", ?, s."
                + d.quote("principalid") + ", s." + d.quote("principaltypecode") + ", 0, 0, ?, "
                + d.nextVersionExpression() + " FROM " + from(d, table, source) + " WHERE " + key + " IN ("
                + store.keyList(rows, parameters) + ")" + principalCondition(d, "s", principal, parameters)
                + " AND (s." + d.quote("accessrightsmask") + " <> 0 OR s." + d.quote("inheritedaccessrightsmask")
                + " <> 0) AND NOT EXISTS (SELECT 1 FROM " + d.quote(TABLE) + " x WHERE x." + d.quote("objectid")
                + " = " + key + " AND x." + d.quote("principalid") + " = s." + d.quote("principalid") + ")";
        return execute(tx, sql, parameters);
    }

    /** The rights the parent of the row {@code objectId} reached through the source holds for {@code principalId}. */
    private static String parentMask(Dialect d, TableDefinition table, Source source, String objectId,
            String principalId) {
        return "SELECT " + d.bitOr("s." + d.quote("accessrightsmask"), "s." + d.quote("inheritedaccessrightsmask"))
                + " FROM " + from(d, table, source) + " WHERE c." + d.quote(table.primaryIdAttribute()) + " = "
                + objectId + " AND s." + d.quote("principalid") + " = " + principalId;
    }

    /**
     * The child rows {@code c} joined to the shares {@code s} of their parent through the source, narrowed as the
     * cascade type says: Active only active children, UserOwned only children with the parent's owner.
     */
    private static String from(Dialect d, TableDefinition table, Source source) {
        String lookup = "c." + d.quote(source.column());
        StringBuilder sql = new StringBuilder(d.quote(table.logicalName()) + " c JOIN " + d.quote(TABLE) + " s ON s."
                + d.quote("objectid") + " = " + lookup);
        if (source.type() == CascadeType.USER_OWNED) {
            sql.append(" JOIN ").append(d.quote(source.parent().logicalName())).append(" p ON p.")
                    .append(d.quote(source.parent().primaryIdAttribute())).append(" = ").append(lookup)
                    .append(" AND p.").append(d.quote("ownerid")).append(" = c.").append(d.quote("ownerid"));
        } else if (source.type() == CascadeType.ACTIVE && table.column("statecode") != null) {
            sql.append(" AND c.").append(d.quote("statecode")).append(" = 0");
        }
        return sql.toString();
    }

    private static String principalCondition(Dialect d, String alias, @Nullable UUID principal,
            List<Object> parameters) {
        if (principal == null) {
            return "";
        }
        parameters.add(principal);
        return " AND " + alias + "." + d.quote("principalid") + " = ?";
    }

    /** Removes the shares of the set left with neither explicit nor inherited rights. */
    private static int removeEmpty(Transaction tx, RelationshipStore store, RowSet rows, @Nullable UUID principal)
            throws SQLException {
        Dialect d = tx.dialect();
        List<Object> parameters = new ArrayList<>();
        String sql = "DELETE FROM " + d.quote(TABLE) + " t WHERE t." + d.quote("objectid") + " IN ("
                + store.keyList(rows, parameters) + ")" + principalCondition(d, "t", principal, parameters)
                + " AND t." + d.quote("accessrightsmask") + " = 0 AND t." + d.quote("inheritedaccessrightsmask")
                + " = 0";
        return execute(tx, sql, parameters);
    }

    private static int execute(Transaction tx, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            return statement.executeUpdate();
        }
    }
}
