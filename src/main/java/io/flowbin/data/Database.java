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
 *
 * <p>Design note on shared transactions: each message opens its own transaction, and opening a second one on a
 * thread that already holds one is refused (it could exhaust the pool and would not be atomic). Work that must be
 * atomic across several messages (a change set of a batch, a bulk action) opens a <em>shared</em> transaction with
 * {@link #inSharedTransaction}: every {@link #inTransaction} call on the same thread while it is open joins it
 * instead of opening another, and only the shared transaction commits, when its callback returns. A failure in a
 * joined callback marks the shared transaction rollback-only, so it can never commit part of its work even when the
 * caller swallows that failure.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

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
                .javaMigrations(new V1__Tables_from_definitions(catalog),
                        new V2__Foreign_keys_on_declared_indexes(catalog), new V3__Lean_tables(catalog),
                        new V4__Upload_sessions())
                .load()
                .migrate()
                .migrationsExecuted;
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        Dialect.fromJdbcUrl(settings.jdbcUrl()).driverProperties().forEach(config::addDataSourceProperty);
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
     * pool. Inside a {@link #inSharedTransaction shared transaction} on the same thread, the callback joins it.
     *
     * @throws IllegalStateException when called inside another (not shared) transaction's callback on the same
     *     thread, which could exhaust the pool
     */
    public <T> T inTransaction(TransactionCallback<T> callback) {
        Scope scope = SCOPE.get();
        if (scope != null) {
            return joined(requireShared(scope), callback);
        }
        return run(callback, true, false);
    }

    /**
     * Runs the callback in a new transaction that every {@link #inTransaction} call on this thread joins until the
     * callback returns; commits once at the end, or rolls everything back on any failure, also one a joined
     * callback threw and the caller caught.
     *
     * @throws IllegalStateException when a transaction is already open on this thread
     */
    public <T> T inSharedTransaction(TransactionCallback<T> callback) {
        if (SCOPE.get() != null) {
            throw new IllegalStateException("A transaction is already open on this thread; a shared transaction must"
                    + " be the outermost one");
        }
        return run(callback, true, true);
    }

    /**
     * Runs a read that needs no transaction (one statement sees one consistent snapshot): the connection runs in
     * auto-commit mode for the callback, which saves the COMMIT round trip of {@link #inTransaction}. Switching
     * auto-commit outside a transaction is local to the driver. Inside a shared transaction the read joins it, so
     * that it sees the transaction's own writes. Same rules for nesting and errors as {@link #inTransaction}.
     */
    public <T> T read(TransactionCallback<T> callback) {
        Scope scope = SCOPE.get();
        if (scope != null) {
            return joined(requireShared(scope), callback);
        }
        return run(callback, false, false);
    }

    /** Whether a transaction of this class is open on the calling thread (its callbacks would join or refuse). */
    public boolean transactionOpenOnThisThread() {
        return SCOPE.get() != null;
    }

    private static Scope requireShared(Scope scope) {
        if (!scope.shared) {
            throw new IllegalStateException("A transaction is already open on this thread; pass its Transaction"
                    + " on instead of opening another");
        }
        return scope;
    }

    private <T> T run(TransactionCallback<T> callback, boolean transactional, boolean shared) {
        Transaction committed = null;
        T result;
        try (Connection connection = dataSource.getConnection()) {
            Scope scope = new Scope(new Transaction(connection, dialect), shared);
            SCOPE.set(scope);
            if (!transactional) {
                connection.setAutoCommit(true);
            }
            try {
                result = callback.inTransaction(scope.transaction);
                if (scope.rollbackOnly) {
                    throw new IllegalStateException("A unit of work in this shared transaction failed; nothing of it"
                            + " is committed");
                }
                if (transactional) {
                    connection.commit();
                    committed = scope.transaction;
                }
            } catch (RuntimeException | Error | SQLException failure) {
                if (transactional) {
                    rollback(connection, failure);
                }
                throw failure;
            } finally {
                SCOPE.remove();
                if (!transactional) {
                    connection.setAutoCommit(false);
                }
            }
        } catch (SQLException failure) {
            throw SqlErrors.toDataverse(SqlErrors.classify(dialect, failure));
        }
        if (committed != null) {
            // after the connection is back in the pool, so that the actions may open transactions of their own
            runAfterCommit(committed);
        }
        return result;
    }

    private <T> T joined(Scope scope, TransactionCallback<T> callback) {
        try {
            return callback.inTransaction(scope.transaction);
        } catch (SQLException failure) {
            scope.rollbackOnly = true;
            throw SqlErrors.toDataverse(SqlErrors.classify(dialect, failure));
        } catch (RuntimeException | Error failure) {
            scope.rollbackOnly = true;
            throw failure;
        }
    }

    /** The transaction open on a thread, and whether later callbacks on the thread join it. */
    private static final class Scope {
        final Transaction transaction;
        final boolean shared;
        boolean rollbackOnly;

        Scope(Transaction transaction, boolean shared) {
            this.transaction = transaction;
            this.shared = shared;
        }
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
