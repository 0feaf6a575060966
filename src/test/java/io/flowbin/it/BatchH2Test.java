package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** $batch on the embedded H2 database. */
final class BatchH2Test extends BatchContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
