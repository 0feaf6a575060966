package io.flowbin.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import io.flowbin.metadata.Catalog;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database: a bounded connection pool, the schema migrated to the table definitions, and transactions run as
 * callbacks that always end in a commit or a rollback. Thread-safe; close it once, on shutdown.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final ThreadLocal<Boolean> IN_TRANSACTION = ThreadLocal.withInitial(() -> false);

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final SchemaNames schemaNames;

    private Database(HikariDataSource dataSource, Dialect dialect, SchemaNames schemaNames) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schemaNames = schemaNames;
    }

    /**
     * Opens the pool and migrates the schema to the catalog's definitions.
     *
     * @throws IllegalStateException when the database cannot be reached or its schema was built from other
     *     definitions; the message names the (password-masked) URL
     */
    public static Database open(DatabaseSettings settings, Catalog catalog) {
        Dialect dialect = Dialect.fromJdbcUrl(settings.jdbcUrl());
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(poolConfig(settings));
        } catch (HikariPool.PoolInitializationException failure) {
            throw new IllegalStateException("Cannot connect to the database at " + settings.redactedUrl()
                    + " (FLOWBIN_DB_URL): " + rootMessage(failure), failure);
        }
        try {
            migrate(dataSource, catalog);
        } catch (FlywayException | IllegalArgumentException failure) {
            dataSource.close();
            throw new IllegalStateException("Cannot migrate the database schema at " + settings.redactedUrl() + ": "
                    + failure.getMessage(), failure);
        } catch (RuntimeException | Error failure) {
            dataSource.close();
            throw failure;
        }
        return new Database(dataSource, dialect, new SchemaNames(catalog));
    }

    /** Brings the schema up to date; returns how many migrations ran (0 when it already was). */
    static int migrate(DataSource dataSource, Catalog catalog) {
        return Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                // all migrations are Java classes given here; there are no SQL scripts to scan for
                .locations(new String[0])
                .javaMigrations(new V1__Tables_from_definitions(catalog))
                .load()
                .migrate()
                .migrationsExecuted;
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("flowbin");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // a request waits this long for a free connection before it fails as unavailable
        config.setConnectionTimeout(10_000);
        return config;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The names of the schema objects, including the foreign key behind each guarded lookup column. */
    public SchemaNames schemaNames() {
        return schemaNames;
    }

    /**
     * Runs the callback in a new READ COMMITTED transaction and commits it when the callback returns; on any exception
     * rolls back. A {@link io.flowbin.error.DataverseException} (or any other unchecked exception) is rethrown
     * unchanged, an {@link SQLException} is translated by {@link SqlErrors}. The connection is always returned to the
     * pool.
     *
     * @throws IllegalStateException when called inside another transaction's callback on the same thread, which could
     *     exhaust the pool
     */
    public <T> T inTransaction(TransactionCallback<T> callback) {
        if (IN_TRANSACTION.get()) {
            throw new IllegalStateException("A transaction is already open on this thread; pass its Transaction on"
                    + " instead of opening another");
        }
        IN_TRANSACTION.set(true);
        Transaction committed;
        T result;
        try (Connection connection = dataSource.getConnection()) {
            try {
                Transaction transaction = new Transaction(connection, dialect);
                result = callback.inTransaction(transaction);
                connection.commit();
                committed = transaction;
            } catch (RuntimeException | Error | SQLException failure) {
                rollback(connection, failure);
                throw failure;
            }
        } catch (SQLException failure) {
            throw SqlErrors.toDataverse(SqlErrors.classify(dialect, failure));
        } finally {
            IN_TRANSACTION.remove();
        }
        // after the connection is back in the pool, so that the actions may open transactions of their own
        runAfterCommit(committed);
        return result;
    }

    private static void runAfterCommit(Transaction transaction) {
        for (Runnable action : transaction.afterCommitActions()) {
            try {
                action.run();
            } catch (RuntimeException failure) {
                LOG.warn("An action after a commit failed; the committed changes stand", failure);
            }
        }
    }

    /**
     * Runs a read that needs no transaction (one statement sees one consistent snapshot): the connection runs in
     * auto-commit mode for the callback, which saves the COMMIT round trip of {@link #inTransaction}. Switching
     * auto-commit outside a transaction is local to the driver. Same rules for nesting and errors as
     * {@link #inTransaction}.
     */
    public <T> T read(TransactionCallback<T> callback) {
        if (IN_TRANSACTION.get()) {
            throw new IllegalStateException("A transaction is already open on this thread; pass its Transaction on"
                    + " instead of opening another");
        }
        IN_TRANSACTION.set(true);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try {
                return callback.inTransaction(new Transaction(connection, dialect));
            } finally {
                connection.setAutoCommit(false);
            }
        } catch (SQLException failure) {
            throw SqlErrors.toDataverse(SqlErrors.classify(dialect, failure));
        } finally {
            IN_TRANSACTION.remove();
        }
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            // the pool discards a connection it cannot reset; the original failure is what the caller needs
            failure.addSuppressed(rollbackFailure);
        }
    }

    /** Whether the database answers now; for the health check. Never throws. */
    public boolean isReachable() {
        try {
            return inTransaction(transaction -> transaction.connection().isValid(5));
        } catch (RuntimeException unreachable) {
            return false;
        }
    }

    /** How many connections are lent out now; 0 whenever no transaction runs. */
    public int activeConnections() {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        return pool == null ? 0 : pool.getActiveConnections();
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
