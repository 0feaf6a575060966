package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The real client's batches and bulk actions against the embedded H2 database. */
final class RealClientBatchH2Test extends RealClientBatchContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
