package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The core Web API behaviour on PostgreSQL. */
final class WebApiCorePostgresTest extends WebApiCoreContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
