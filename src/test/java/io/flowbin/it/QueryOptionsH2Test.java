package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The OData query options on the embedded H2 database. */
final class QueryOptionsH2Test extends QueryOptionsContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
