package io.flowbin.messages;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.files.RowFiles;
import io.flowbin.metadata.Catalog;
import io.flowbin.pipeline.EventPipeline;
import java.time.Clock;

/**
 * What every message handler needs: the catalog, the database, the row store, the clock, the stored files of rows
 * (removed with their row), and the event pipeline the messages run through. Immutable.
 */
public record MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files,
        EventPipeline pipeline) {

    /** A context without registered steps. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock, RowFiles files) {
        this(catalog, database, store, clock, files, EventPipeline.withoutSteps(database, catalog, store, clock));
    }

    /** A context whose rows have no stored files to remove and without registered steps. */
    public MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock) {
        this(catalog, database, store, clock, RowFiles.NONE);
    }
}
