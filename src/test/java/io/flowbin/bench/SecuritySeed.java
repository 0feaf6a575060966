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
 * {@code basic_oid=} and {@code local_oid=}, the object ids of those two users. Owners are computed from the row number in SQL. Arguments: a JDBC URL or an H2 data
 * folder, N, U, B. The server must be stopped (H2 is single-process).
 */
final class SecuritySeed {
    private static final int BATCH = 100_000;

    private SecuritySeed() {}

    static UUID id(String kind, int index) {
        return UUID.nameUUIDFromBytes(("flowbin-bench-" + kind + "-" + index).getBytes(StandardCharsets.UTF_8));
    }

    /** The id of user k, one the database can compute from k: {@code 00000000-0000-4000-8000-<k, 12 digits>}. */
    static UUID user(int k) {
        return UUID.fromString(String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", k));
    }

    /** The id of business unit k > 0 (unit 0 is the root): {@code 00000000-0000-4000-9000-<k, 12 digits>}. */
    static UUID unit(int k) {
        return UUID.fromString(String.format(Locale.ROOT, "00000000-0000-4000-9000-%012d", k));
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
                    UUID unit = unit(k);
                    unitIds.add(unit);
                    insert.setObject(1, unit);
                    insert.setString(2, "bench unit " + k);
                    insert.setObject(3, root);
                    insert.setObject(4, organization);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement user = connection.prepareStatement("INSERT INTO \"systemuser\""
                    + " (\"systemuserid\", \"azureactivedirectoryobjectid\", \"businessunitid\", \"fullname\","
                    + " \"domainname\", \"isdisabled\", \"versionnumber\") VALUES (?, ?, ?, ?, ?, FALSE, " + version
                    + ")")) {
                for (int k = 0; k < users; k++) {
                    UUID unit = unitIds.get(k % units);
                    user.setObject(1, user(k));
                    user.setObject(2, id("oid", k));
                    user.setObject(3, unit);
                    user.setString(4, "bench user " + k);
                    user.setString(5, "bench" + k + "@flowbin.local");
                    user.addBatch();
                }
                user.executeBatch();
            }
            roles(connection, root, organization, version);
            connection.commit();
            String sql = dialect == Dialect.POSTGRESQL ? postgresInsert(users, units) : h2Insert(users, units);
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (int from = 0; from < rows; from += BATCH) {
                    insert.setObject(1, session);
                    insert.setObject(2, QuerySeed.START);
                    insert.setObject(3, QuerySeed.START);
                    insert.setObject(4, root);
                    insert.setInt(5, from);
                    insert.setInt(6, Math.min(rows, from + BATCH) - 1);
                    insert.executeUpdate();
                    connection.commit();
                    System.err.printf(Locale.ROOT, "seeded %d rows (%.0f s)%n", Math.min(rows, from + BATCH),
                            (System.nanoTime() - started) / 1e9);
                }
            }
            // the steady state a live table is kept in (autovacuum on PostgreSQL, H2's automatic analysis after
            // changes): statistics, and on PostgreSQL a visibility map that lets an index answer a count alone
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute(dialect == Dialect.POSTGRESQL ? "VACUUM ANALYZE" : "ANALYZE");
            }
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
                insert.setObject(2, user(k));
                insert.setObject(3, role);
                insert.executeUpdate();
            }
        }
    }

    private static final String COLUMNS = "INSERT INTO \"flowsessionbinary\" (\"flowsessionbinaryid\", \"flowsessionid\","
            + " \"name\", \"type\", \"importsequencenumber\", \"statecode\", \"statuscode\", \"createdon\","
            + " \"modifiedon\", \"ownerid\", \"owneridtype\", \"owninguser\", \"owningbusinessunit\", \"createdby\","
            + " \"modifiedby\", \"versionnumber\") ";

    private static String postgresInsert(int users, int units) {
        String user = "CAST('00000000-0000-4000-8000-' || lpad(CAST(g % " + users + " AS TEXT), 12, '0') AS UUID)";
        String unit = "CASE WHEN g % " + users + " % " + units + " = 0 THEN CAST(? AS UUID) ELSE"
                + " CAST('00000000-0000-4000-9000-' || lpad(CAST(g % " + users + " % " + units
                + " AS TEXT), 12, '0') AS UUID) END";
        return COLUMNS + "SELECT gen_random_uuid(), ?, chr(97 + g % 26) || '-' || g,"
                + " CASE WHEN g % 2 = 0 THEN 'Input' ELSE 'Output' END, g % 1000,"
                + " CASE WHEN g % 10 = 0 THEN 1 ELSE 0 END, CASE WHEN g % 10 = 0 THEN 2 ELSE 1 END,"
                + " CAST(? AS TIMESTAMPTZ) + (g / 2) * INTERVAL '1 second',"
                + " CAST(? AS TIMESTAMPTZ) + (g / 2) * INTERVAL '1 second',"
                + " " + user + ", 'systemuser', " + user + ", " + unit + ", " + user + ", " + user + ","
                + " nextval('\"flowbin_version\"') FROM generate_series(?, ?) AS g";
    }

    private static String h2Insert(int users, int units) {
        String user = "CAST('00000000-0000-4000-8000-' || LPAD(CAST(MOD(X, " + users + ") AS VARCHAR), 12, '0')"
                + " AS UUID)";
        String unit = "CASE WHEN MOD(MOD(X, " + users + "), " + units + ") = 0 THEN CAST(? AS UUID) ELSE"
                + " CAST('00000000-0000-4000-9000-' || LPAD(CAST(MOD(MOD(X, " + users + "), " + units
                + ") AS VARCHAR), 12, '0') AS UUID) END";
        return COLUMNS + "SELECT RANDOM_UUID(), ?, CHAR(97 + MOD(X, 26)) || '-' || X,"
                + " CASE WHEN MOD(X, 2) = 0 THEN 'Input' ELSE 'Output' END, MOD(X, 1000),"
                + " CASE WHEN MOD(X, 10) = 0 THEN 1 ELSE 0 END, CASE WHEN MOD(X, 10) = 0 THEN 2 ELSE 1 END,"
                + " DATEADD(SECOND, X / 2, CAST(? AS TIMESTAMP WITH TIME ZONE)),"
                + " DATEADD(SECOND, X / 2, CAST(? AS TIMESTAMP WITH TIME ZONE)),"
                + " " + user + ", 'systemuser', " + user + ", " + unit + ", " + user + ", " + user + ","
                + " NEXT VALUE FOR \"flowbin_version\" FROM SYSTEM_RANGE(?, ?)";
    }
}
