package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The real client against PostgreSQL. */
final class RealClientPostgresTest extends RealClientContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
