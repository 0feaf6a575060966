package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Steps and plug-ins on the embedded H2 database. */
final class EventsH2Test extends EventsContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
