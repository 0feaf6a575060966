package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** $batch on PostgreSQL. */
final class BatchPostgresTest extends BatchContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
