package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The OData query options on PostgreSQL. */
final class QueryOptionsPostgresTest extends QueryOptionsContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
