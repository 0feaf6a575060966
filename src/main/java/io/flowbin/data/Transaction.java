package io.flowbin.data;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One open database transaction, valid only inside the {@link TransactionCallback} it is passed to. Not thread-safe:
 * it belongs to the thread running the callback.
 */
public final class Transaction {
    private final Connection connection;
    private final Dialect dialect;

    Transaction(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /**
     * The transaction's connection. Use it for statements only: {@link Database} commits, rolls back and closes it,
     * so never call {@code commit}, {@code rollback}, {@code setAutoCommit} or {@code close} on it.
     */
    public Connection connection() {
        return connection;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Takes the next row version; versions are strictly increasing across all transactions. */
    public long nextVersion() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + dialect.nextVersionExpression());
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
