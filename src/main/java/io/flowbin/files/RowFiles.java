package io.flowbin.files;

import io.flowbin.data.RowSet;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.TableDefinition;
import java.util.UUID;

/** Removes the stored files of rows that are being deleted. Implementations are thread-safe. */
public interface RowFiles {
    /** For tables without file storage (and tests that need none): removes nothing. */
    RowFiles NONE = new RowFiles() {
        @Override
        public void removeAll(Transaction tx, TableDefinition table, UUID rowId) {}

        @Override
        public void removeAll(Transaction tx, RowSet rows) {}
    };

    /**
     * In the transaction that deletes the row: deletes the fileattachment rows of the row's file columns; their blobs
     * are deleted once that transaction has committed.
     */
    void removeAll(Transaction tx, TableDefinition table, UUID rowId);

    /** The same for every row of a set, such as the children a Delete cascade is about to remove. */
    void removeAll(Transaction tx, RowSet rows);
}
