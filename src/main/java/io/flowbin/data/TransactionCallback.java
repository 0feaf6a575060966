package io.flowbin.data;

import java.sql.SQLException;

/**
 * Work done in one database transaction; see {@link Database#inTransaction(TransactionCallback)}.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface TransactionCallback<T> {
    T inTransaction(Transaction transaction) throws SQLException;
}
