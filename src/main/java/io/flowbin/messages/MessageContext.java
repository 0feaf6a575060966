package io.flowbin.messages;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.files.RowFiles;
import io.flowbin.metadata.Catalog;
import io.flowbin.security.AccessGuard;
import java.time.Clock;

/**
 * What every message handler needs: the catalog, the database, the row store, the clock, the stored files of rows
 * (removed with their row) and the access checks. Immutable.
 */
public record MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files,
        AccessGuard guard) {

    /** A context without access checks, for tools and tests below the security model. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files) {
        this(catalog, database, store, clock, files, AccessGuard.unrestricted());
    }

    /** A context whose rows have no stored files to remove, without access checks. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock) {
        this(catalog, database, store, clock, RowFiles.NONE);
    }
}
