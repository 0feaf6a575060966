package io.flowbin.bench;

import io.flowbin.data.Dialect;
import io.flowbin.security.Depth;
import io.flowbin.security.PrivilegeNames;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Seeds the security benchmark with SQL: B business units (the root and B - 1 below it), U users spread over them
 * (user k in unit k mod B), N {@code flowsessionbinary} rows (row i owned by user i mod U, in that user's unit), and
 * two roles reading the table at Basic and at Local depth, held by user 0 and user 1. Prints
 * {@code basic_oid=} and {@code local_oid=}, the object ids of those two users. Arguments: a JDBC URL or an H2 data
 * folder, N, U, B. The server must be stopped (H2 is single-process).
 */
final class SecuritySeed {
    private static final int BATCH = 100_000;

    private SecuritySeed() {}

    static UUID id(String kind, int index) {
        return UUID.nameUUIDFromBytes(("flowbin-bench-" + kind + "-" + index).getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: SecuritySeed <jdbc url | h2 data dir> <rows> <users> <units>");
        }
        String url = QuerySeed.jdbcUrl(args[0]);
        int rows = Integer.parseInt(args[1]);
        int users = Integer.parseInt(args[2]);
        int units = Integer.parseInt(args[3]);
        Dialect dialect = Dialect.fromJdbcUrl(url);
        try (Connection connection = DriverManager.getConnection(url, System.getenv("FLOWBIN_DB_USER"), null)) {
            connection.setAutoCommit(false);
            Object session;
            UUID root;
            UUID organization;
            try (Statement statement = connection.createStatement();
                    ResultSet first = statement.executeQuery("SELECT s.\"flowsessionid\", b.\"businessunitid\","
                            + " b.\"organizationid\" FROM \"flowsession\" s, \"businessunit\" b"
                            + " WHERE b.\"parentbusinessunitid\" IS NULL")) {
                if (!first.next()) {
                    throw new IllegalStateException("no flowsession: create one through the server first");
                }
                session = first.getObject(1);
                root = first.getObject(2, UUID.class);
                organization = first.getObject(3, UUID.class);
            }
            String version = dialect == Dialect.POSTGRESQL ? "nextval('\"flowbin_version\"')"
                    : "NEXT VALUE FOR \"flowbin_version\"";
            List<UUID> unitIds = new ArrayList<>();
            unitIds.add(root);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"businessunit\""
                    + " (\"businessunitid\", \"name\", \"parentbusinessunitid\", \"organizationid\", \"isdisabled\","
                    + " \"versionnumber\") VALUES (?, ?, ?, ?, FALSE, " + version + ")")) {
                for (int k = 1; k < units; k++) {
                    UUID unit = id("unit", k);
                    unitIds.add(unit);
                    insert.setObject(1, unit);
                    insert.setString(2, "bench unit " + k);
                    insert.setObject(3, root);
                    insert.setObject(4, organization);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE \"bench_owner\" (\"k\" INTEGER PRIMARY KEY, \"userid\" UUID,"
                        + " \"unitid\" UUID)");
            }
            try (PreparedStatement user = connection.prepareStatement("INSERT INTO \"systemuser\""
                    + " (\"systemuserid\", \"azureactivedirectoryobjectid\", \"businessunitid\", \"fullname\","
                    + " \"domainname\", \"isdisabled\", \"versionnumber\") VALUES (?, ?, ?, ?, ?, FALSE, " + version
                    + ")");
                    PreparedStatement owner = connection.prepareStatement(
                            "INSERT INTO \"bench_owner\" (\"k\", \"userid\", \"unitid\") VALUES (?, ?, ?)")) {
                for (int k = 0; k < users; k++) {
                    UUID unit = unitIds.get(k % units);
                    user.setObject(1, id("user", k));
                    user.setObject(2, id("oid", k));
                    user.setObject(3, unit);
                    user.setString(4, "bench user " + k);
                    user.setString(5, "bench" + k + "@flowbin.local");
                    user.addBatch();
                    owner.setInt(1, k);
                    owner.setObject(2, id("user", k));
                    owner.setObject(3, unit);
                    owner.addBatch();
                }
                user.executeBatch();
                owner.executeBatch();
            }
            roles(connection, root, organization, version);
            connection.commit();
            String sql = dialect == Dialect.POSTGRESQL ? postgresInsert(users) : h2Insert(users);
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (int from = 0; from < rows; from += BATCH) {
                    insert.setObject(1, session);
                    insert.setObject(2, QuerySeed.START);
                    insert.setObject(3, QuerySeed.START);
                    insert.setInt(4, from);
                    insert.setInt(5, Math.min(rows, from + BATCH) - 1);
                    insert.executeUpdate();
                    connection.commit();
                    System.err.printf(Locale.ROOT, "seeded %d rows (%.0f s)%n", Math.min(rows, from + BATCH),
                            (System.nanoTime() - started) / 1e9);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE \"bench_owner\"");
                if (dialect == Dialect.POSTGRESQL) {
                    statement.execute("ANALYZE");
                }
            }
            connection.commit();
        }
        System.out.println("basic_oid=" + id("oid", 0));
        System.out.println("local_oid=" + id("oid", 1));
    }

    /** "bench basic" and "bench local" read the table at Basic and Local depth; users 0 and 1 hold them. */
    private static void roles(Connection connection, UUID root, UUID organization, String version)
            throws SQLException {
        UUID read = PrivilegeNames.id("prvReadflowsessionbinary");
        Depth[] depths = {Depth.BASIC, Depth.LOCAL};
        for (int k = 0; k < depths.length; k++) {
            UUID role = id("role", k);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"role\" (\"roleid\", \"name\","
                    + " \"businessunitid\", \"organizationid\", \"isinherited\", \"versionnumber\")"
                    + " VALUES (?, ?, ?, ?, 1, " + version + ")")) {
                insert.setObject(1, role);
                insert.setString(2, "bench " + depths[k].label());
                insert.setObject(3, root);
                insert.setObject(4, organization);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"roleprivileges\""
                    + " (\"roleprivilegeid\", \"roleid\", \"privilegeid\", \"privilegedepthmask\", \"versionnumber\")"
                    + " VALUES (?, ?, ?, ?, " + version + ")")) {
                insert.setObject(1, id("roleprivilege", k));
                insert.setObject(2, role);
                insert.setObject(3, read);
                insert.setInt(4, depths[k].mask());
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"systemuserroles\""
                    + " (\"systemuserrolesid\", \"systemuserid\", \"roleid\", \"versionnumber\")"
                    + " VALUES (?, ?, ?, " + version + ")")) {
                insert.setObject(1, id("userrole", k));
                insert.setObject(2, id("user", k));
                insert.setObject(3, role);
                insert.executeUpdate();
            }
        }
    }

    private static final String COLUMNS = "INSERT INTO \"flowsessionbinary\" (\"flowsessionbinaryid\", \"flowsessionid\","
            + " \"name\", \"type\", \"importsequencenumber\", \"statecode\", \"statuscode\", \"createdon\","
            + " \"modifiedon\", \"ownerid\", \"owneridtype\", \"owninguser\", \"owningbusinessunit\", \"createdby\","
            + " \"modifiedby\", \"versionnumber\") ";

    private static String postgresInsert(int users) {
        return COLUMNS + "SELECT gen_random_uuid(), ?, chr(97 + g % 26) || '-' || g,"
                + " CASE WHEN g % 2 = 0 THEN 'Input' ELSE 'Output' END, g % 1000,"
                + " CASE WHEN g % 10 = 0 THEN 1 ELSE 0 END, CASE WHEN g % 10 = 0 THEN 2 ELSE 1 END,"
                + " CAST(? AS TIMESTAMPTZ) + (g / 2) * INTERVAL '1 second',"
                + " CAST(? AS TIMESTAMPTZ) + (g / 2) * INTERVAL '1 second',"
                + " o.\"userid\", 'systemuser', o.\"userid\", o.\"unitid\", o.\"userid\", o.\"userid\","
                + " nextval('\"flowbin_version\"') FROM generate_series(?, ?) AS g JOIN \"bench_owner\" o"
                + " ON o.\"k\" = g % " + users;
    }

    private static String h2Insert(int users) {
        return COLUMNS + "SELECT RANDOM_UUID(), ?, CHAR(97 + MOD(X, 26)) || '-' || X,"
                + " CASE WHEN MOD(X, 2) = 0 THEN 'Input' ELSE 'Output' END, MOD(X, 1000),"
                + " CASE WHEN MOD(X, 10) = 0 THEN 1 ELSE 0 END, CASE WHEN MOD(X, 10) = 0 THEN 2 ELSE 1 END,"
                + " DATEADD(SECOND, X / 2, CAST(? AS TIMESTAMP WITH TIME ZONE)),"
                + " DATEADD(SECOND, X / 2, CAST(? AS TIMESTAMP WITH TIME ZONE)),"
                + " o.\"userid\", 'systemuser', o.\"userid\", o.\"unitid\", o.\"userid\", o.\"userid\","
                + " NEXT VALUE FOR \"flowbin_version\" FROM SYSTEM_RANGE(?, ?) JOIN \"bench_owner\" o"
                + " ON o.\"k\" = MOD(X, " + users + ")";
    }
}
