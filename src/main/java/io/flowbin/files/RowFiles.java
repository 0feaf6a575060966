package io.flowbin.files;

import io.flowbin.data.Transaction;
import io.flowbin.metadata.TableDefinition;
import java.util.UUID;

/** Removes the stored files of a row that is being deleted. Implementations are thread-safe. */
@FunctionalInterface
public interface RowFiles {
    /** For tables without file storage (and tests that need none): removes nothing. */
    RowFiles NONE = (tx, table, rowId) -> {};

    /**
     * In the transaction that deletes the row: deletes the fileattachment rows of the row's file columns; their blobs
     * are deleted once that transaction has committed.
     */
    void removeAll(Transaction tx, TableDefinition table, UUID rowId);
}
