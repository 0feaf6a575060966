package io.flowbin.messages;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.files.RowFiles;
import io.flowbin.metadata.Catalog;
import io.flowbin.pipeline.EventPipeline;
import io.flowbin.security.AccessGuard;
import java.time.Clock;

/**
 * What every message handler needs: the catalog, the database, the row store, the clock, the stored files of rows
 * (removed with their row), the access checks, and the event pipeline the messages run through. Immutable.
 */
public record MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files,
        AccessGuard guard, EventPipeline pipeline) {

    /** A context with access checks and without registered steps. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files,
            AccessGuard guard) {
        this(catalog, database, store, clock, files, guard,
                EventPipeline.withoutSteps(database, catalog, store, clock));
    }

    /** A context with registered steps and without access checks, for tools and tests below the security model. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files,
            EventPipeline pipeline) {
        this(catalog, database, store, clock, files, AccessGuard.unrestricted(), pipeline);
    }

    /** A context without access checks and without registered steps. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files) {
        this(catalog, database, store, clock, files, AccessGuard.unrestricted());
    }

    /** A context whose rows have no stored files to remove, without access checks and without registered steps. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock) {
        this(catalog, database, store, clock, RowFiles.NONE);
    }
}
