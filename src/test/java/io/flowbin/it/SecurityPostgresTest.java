package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The security model on the PostgreSQL database. */
final class SecurityPostgresTest extends SecurityContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
