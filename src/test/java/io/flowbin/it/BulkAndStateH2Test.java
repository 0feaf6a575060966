package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Bulk actions and state changes on the embedded H2 database. */
final class BulkAndStateH2Test extends BulkAndStateContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
