package io.flowbin.testing;

import io.flowbin.FlowbinServer;
import io.flowbin.config.ServerConfig;
import io.flowbin.data.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A flowbin server on a free loopback port over a fresh H2 or PostgreSQL database, with an administrator token.
 * Closing it stops the server and drops its database.
 */
public final class TestServer implements AutoCloseable {
    public static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

    private final FlowbinServer server;
    private final TestDatabase database;
    private final String adminToken;

    private TestServer(FlowbinServer server, TestDatabase database) {
        this.server = server;
        this.database = database;
        this.adminToken = Objects.requireNonNull(server.mintAdminToken(Duration.ofHours(1)));
    }

    public static TestServer start(DatabaseKind kind, Path tempDir) {
        return start(kind, BlobKind.FILE_SYSTEM, tempDir);
    }

    /** A server whose file columns keep their bytes in this blob store (Azure: a fresh container in Azurite). */
    public static TestServer start(DatabaseKind kind, BlobKind blobs, Path tempDir) {
        return start(kind, blobs, tempDir, Map.of());
    }

    /** A server with these settings (FLOWBIN_... names) on top of the test defaults. */
    public static TestServer start(DatabaseKind kind, BlobKind blobs, Path tempDir, Map<String, String> extra) {
        TestDatabase database = TestDatabases.create(kind, tempDir.resolve("db"));
        DatabaseSettings settings = database.settings();
        Map<String, String> env = new HashMap<>();
        env.put("FLOWBIN_PORT", Integer.toString(Ports.free()));
        env.put("FLOWBIN_DATA_DIR", tempDir.resolve("data").toString());
        env.put("FLOWBIN_DB_URL", settings.jdbcUrl());
        if (settings.user() != null) {
            env.put("FLOWBIN_DB_USER", settings.user());
        }
        if (settings.password() != null) {
            env.put("FLOWBIN_DB_PASSWORD", settings.password());
        }
        env.put("FLOWBIN_DB_POOL_SIZE", "4");
        env.put("FLOWBIN_WORKER_THREADS", "8");
        env.put("FLOWBIN_JWT_SECRET", SECRET);
        env.put("FLOWBIN_ADMIN_OID", UUID.randomUUID().toString());
        if (blobs == BlobKind.AZURE) {
            env.put("FLOWBIN_BLOB_URL", Azurite.connectionString());
            env.put("FLOWBIN_BLOB_CONTAINER", Azurite.freshContainer());
        }
        env.putAll(extra);
        try {
            return new TestServer(FlowbinServer.start(ServerConfig.fromEnvironment(env)), database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    public String serviceRoot() {
        return baseUrl() + "api/data/v9.2/";
    }

    public String adminToken() {
        return adminToken;
    }

    public String tokenFor(UUID objectId) {
        return Objects.requireNonNull(server.mintToken(objectId, Duration.ofHours(1)));
    }

    public FlowbinServer server() {
        return server;
    }

    public WebApiClient client() {
        return new WebApiClient(serviceRoot(), adminToken);
    }

    /**
     * The number the SQL query (a {@code SELECT COUNT(*)} with {@code ?} parameters) answers on the server's
     * database, to check what a request wrote or left.
     */
    public long count(String sql, Object... parameters) {
        return server.database().inTransaction(tx -> {
            try (java.sql.PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                try (java.sql.ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /** Invariant after each test: every pooled connection is back (waits briefly for in-flight work). */
    public void assertNoLeakedConnections() {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (server.database().activeConnections() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int active = server.database().activeConnections();
        if (active != 0) {
            throw new AssertionError(active + " database connections were not returned to the pool");
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            database.close();
        }
    }
}
