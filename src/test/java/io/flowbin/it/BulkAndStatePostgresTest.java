package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Bulk actions and state changes on PostgreSQL. */
final class BulkAndStatePostgresTest extends BulkAndStateContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
