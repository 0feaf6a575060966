package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Keyset paging under concurrent writes on PostgreSQL. */
final class PagingUnderWritesPostgresTest extends PagingUnderWritesContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
