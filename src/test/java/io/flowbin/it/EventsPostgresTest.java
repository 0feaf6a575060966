package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Steps and plug-ins on PostgreSQL. */
final class EventsPostgresTest extends EventsContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
