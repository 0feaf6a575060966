package io.flowbin.data;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One open database transaction, valid only inside the {@link TransactionCallback} it is passed to. Not thread-safe:
 * it belongs to the thread running the callback.
 */
public final class Transaction {
    private final Connection connection;
    private final Dialect dialect;
    private final List<Runnable> afterCommit = new ArrayList<>();

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

    /**
     * Runs the action once this transaction has committed, and never when it rolls back: for work outside the
     * database that must follow only committed changes (deleting the blob of a deleted file). The action should not
     * throw; a failure is logged and does not undo the commit.
     */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
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
