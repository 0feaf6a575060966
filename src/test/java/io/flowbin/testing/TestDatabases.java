package io.flowbin.testing;

import io.flowbin.data.DatabaseSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates fresh databases for tests: H2 files in a temporary folder, and PostgreSQL databases named
 * {@code flowbin_test_<hex>} on the server named by the system properties {@code flowbin.test.pg.url} and
 * {@code flowbin.test.pg.user} (the build sets both). An unreachable PostgreSQL fails the test, it never skips it.
 * Thread-safe.
 */
public final class TestDatabases {
    /** A small pool keeps many test databases within the server's connection limit. */
    public static final int TEST_POOL_SIZE = 4;

    private static final Pattern POSTGRES_URL = Pattern.compile("(jdbc:postgresql://[^/]*/)([^?]*)(\\?.*)?");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropCreatedDatabases, "drop-test-databases"));
    }

    private TestDatabases() {}

    /** A fresh database of this kind; H2 files go under {@code tempDir}. */
    public static TestDatabase create(DatabaseKind kind, Path tempDir) {
        return switch (kind) {
            case H2 -> new TestDatabase(kind, h2(tempDir), () -> {});
            case POSTGRESQL -> {
                String name = createPostgresDatabase();
                yield new TestDatabase(kind, postgresSettings(name), () -> dropPostgresDatabase(name));
            }
        };
    }

    /** Settings for a fresh H2 file database under {@code tempDir}, opened as the server opens its embedded one. */
    public static DatabaseSettings h2(Path tempDir) {
        return DatabaseSettings.embedded(tempDir.resolve("h2-" + randomHex())).withMaxPoolSize(TEST_POOL_SIZE);
    }

    /**
     * Settings for a fresh PostgreSQL database, dropped by {@link #dropCreatedDatabases()} (or at JVM exit).
     *
     * @throws IllegalStateException when the server is not reachable; the message names the URL
     */
    public static DatabaseSettings postgres() {
        return postgresSettings(createPostgresDatabase());
    }

    /** Drops every PostgreSQL database created here and not dropped yet. */
    public static void dropCreatedDatabases() {
        for (String name : Set.copyOf(CREATED)) {
            dropPostgresDatabase(name);
        }
    }

    private static String createPostgresDatabase() {
        String name = "flowbin_test_" + randomHex();
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            // a database name cannot be a parameter; this one is generated above from hex digits only
            statement.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException failure) {
            throw new IllegalStateException("Cannot create test database " + name + " on " + adminUrl() + ": "
                    + failure.getMessage(), failure);
        }
        CREATED.add(name);
        return name;
    }

    private static void dropPostgresDatabase(String name) {
        if (!CREATED.contains(name)) {
            return;
        }
        try (Connection connection = adminConnection()) {
            // a pool that was not closed would otherwise keep the database in use
            try (PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(pid)"
                    + " FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                terminate.setString(1, name);
                terminate.execute();
            }
            try (Statement statement = connection.createStatement()) {
                // FORCE also ends connections a pool opened after the termination above
                statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            }
            CREATED.remove(name);
        } catch (SQLException failure) {
            throw new IllegalStateException("Cannot drop test database " + name + " on " + adminUrl() + ": "
                    + failure.getMessage(), failure);
        }
    }

    private static DatabaseSettings postgresSettings(String name) {
        Matcher matcher = POSTGRES_URL.matcher(adminUrl());
        if (!matcher.matches()) {
            throw new IllegalStateException("flowbin.test.pg.url must look like jdbc:postgresql://host:port/database,"
                    + " but is " + adminUrl());
        }
        String query = matcher.group(3) == null ? "" : matcher.group(3);
        return new DatabaseSettings(matcher.group(1) + name + query, adminUser(), null, TEST_POOL_SIZE);
    }

    private static Connection adminConnection() {
        try {
            return DriverManager.getConnection(adminUrl(), adminUser(), null);
        } catch (SQLException failure) {
            throw new IllegalStateException("PostgreSQL for the tests is not reachable at " + adminUrl() + " as user "
                    + adminUser() + " (system properties flowbin.test.pg.url and flowbin.test.pg.user): "
                    + failure.getMessage(), failure);
        }
    }

    private static String adminUrl() {
        return System.getProperty("flowbin.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    private static String adminUser() {
        return System.getProperty("flowbin.test.pg.user", "postgres");
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
