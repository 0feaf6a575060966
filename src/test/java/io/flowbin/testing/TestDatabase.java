package io.flowbin.testing;

import io.flowbin.data.DatabaseSettings;

/**
 * A fresh, empty database for one test; closing it drops a PostgreSQL database (an H2 one lives in the test's
 * temporary folder). Close the {@link io.flowbin.data.Database} opened on it first. Not thread-safe.
 */
public final class TestDatabase implements AutoCloseable {
    private final DatabaseKind kind;
    private final DatabaseSettings settings;
    private final Runnable drop;

    TestDatabase(DatabaseKind kind, DatabaseSettings settings, Runnable drop) {
        this.kind = kind;
        this.settings = settings;
        this.drop = drop;
    }

    public DatabaseKind kind() {
        return kind;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        drop.run();
    }

    @Override
    public String toString() {
        return kind + " " + settings.redactedUrl();
    }
}
