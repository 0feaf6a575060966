package io.flowbin.messages;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.files.RowFiles;
import io.flowbin.metadata.Catalog;
import java.time.Clock;

/**
 * What every message handler needs: the catalog, the database, the row store, the clock, and the stored files of
 * rows (removed with their row). Immutable.
 */
public record MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files) {

    /** A context whose rows have no stored files to remove. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock) {
        this(catalog, database, store, clock, RowFiles.NONE);
    }
}
