package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The real client against the embedded H2 database. */
final class RealClientH2Test extends RealClientContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
