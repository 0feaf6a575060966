package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The security model on the embedded H2 database. */
final class SecurityH2Test extends SecurityContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
