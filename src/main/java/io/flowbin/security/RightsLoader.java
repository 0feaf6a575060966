package io.flowbin.security;

import io.flowbin.data.Dialect;
import io.flowbin.data.Transaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Reads a principal's {@link Rights} from the role, team and business unit tables: a few indexed queries. */
final class RightsLoader {
    private RightsLoader() {}

    /** The rights of a user or team, or null when there is no such principal. */
    static @Nullable Rights load(Transaction tx, UUID principal) throws SQLException {
        Dialect d = tx.dialect();
        UUID unit;
        boolean team = false;
        boolean disabled = false;
        Object[] user = one(tx, "SELECT " + d.quote("businessunitid") + ", " + d.quote("isdisabled") + " FROM "
                + d.quote("systemuser") + " WHERE " + d.quote("systemuserid") + " = ?", principal);
        if (user != null) {
            unit = (UUID) user[0];
            disabled = Boolean.TRUE.equals(user[1]);
        } else {
            Object[] teamRow = one(tx, "SELECT " + d.quote("businessunitid") + " FROM " + d.quote("team") + " WHERE "
                    + d.quote("teamid") + " = ?", principal);
            if (teamRow == null) {
                return null;
            }
            unit = (UUID) teamRow[0];
            team = true;
        }
        Set<UUID> teams = new LinkedHashSet<>();
        if (team) {
            teams.add(principal);
        } else {
            teams.addAll(ids(tx, "SELECT " + d.quote("teamid") + " FROM " + d.quote("teammembership") + " WHERE "
                    + d.quote("systemuserid") + " = ?", principal));
        }
        String roles = team
                ? "SELECT " + d.quote("roleid") + " FROM " + d.quote("teamroles") + " WHERE " + d.quote("teamid")
                        + " = ?"
                : "SELECT " + d.quote("roleid") + " FROM " + d.quote("systemuserroles") + " WHERE "
                        + d.quote("systemuserid") + " = ? UNION SELECT tr." + d.quote("roleid") + " FROM "
                        + d.quote("teamroles") + " tr JOIN " + d.quote("teammembership") + " tm ON tm."
                        + d.quote("teamid") + " = tr." + d.quote("teamid") + " WHERE tm." + d.quote("systemuserid")
                        + " = ?";
        List<UUID> roleIds = team ? ids(tx, roles, principal) : ids(tx, roles, principal, principal);
        Map<String, Depth> privileges = new HashMap<>();
        if (!roleIds.isEmpty()) {
            String sql = "SELECT p." + d.quote("name") + ", rp." + d.quote("privilegedepthmask") + " FROM "
                    + d.quote("roleprivileges") + " rp JOIN " + d.quote("privilege") + " p ON p."
                    + d.quote("privilegeid") + " = rp." + d.quote("privilegeid") + " WHERE rp." + d.quote("roleid")
                    + " IN (" + "?, ".repeat(roleIds.size() - 1) + "?)";
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                for (int i = 0; i < roleIds.size(); i++) {
                    statement.setObject(i + 1, roleIds.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Depth depth = Depth.ofMask(rows.getInt(2));
                        if (depth != null) {
                            privileges.merge(rows.getString(1), depth, (a, b) -> a.covers(b) ? a : b);
                        }
                    }
                }
            }
        }
        return new Rights(principal, team, unit, teams, privileges, unitsBelow(tx, unit), roleIds.size(), disabled);
    }

    private static Set<UUID> unitsBelow(Transaction tx, UUID unit) throws SQLException {
        Dialect d = tx.dialect();
        Map<UUID, List<UUID>> children = new HashMap<>();
        String sql = "SELECT " + d.quote("businessunitid") + ", " + d.quote("parentbusinessunitid") + " FROM "
                + d.quote("businessunit") + " WHERE " + d.quote("parentbusinessunitid") + " IS NOT NULL";
        try (PreparedStatement statement = tx.connection().prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                children.computeIfAbsent(rows.getObject(2, UUID.class), key -> new java.util.ArrayList<>())
                        .add(rows.getObject(1, UUID.class));
            }
        }
        Set<UUID> below = new HashSet<>();
        Deque<UUID> pending = new ArrayDeque<>(List.of(unit));
        while (!pending.isEmpty()) {
            UUID next = pending.pop();
            if (below.add(next)) {
                pending.addAll(children.getOrDefault(next, List.of()));
            }
        }
        return below;
    }

    private static Object @Nullable [] one(Transaction tx, String sql, UUID id) throws SQLException {
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                Object[] values = new Object[rows.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = i == 0 ? rows.getObject(1, UUID.class) : rows.getObject(i + 1);
                }
                return values;
            }
        }
    }

    private static List<UUID> ids(Transaction tx, String sql, UUID... parameters) throws SQLException {
        try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<UUID> ids = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }
}
