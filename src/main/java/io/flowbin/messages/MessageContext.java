package io.flowbin.messages;

import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.metadata.Catalog;
import java.time.Clock;

/** What every message handler needs: the catalog, the database, the row store and the clock. Immutable. */
public record MessageContext(Catalog catalog, Database database, RecordStore store, Clock clock) {}
