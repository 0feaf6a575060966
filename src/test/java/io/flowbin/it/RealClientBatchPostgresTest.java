package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The real client's batches and bulk actions against PostgreSQL. */
final class RealClientBatchPostgresTest extends RealClientBatchContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
