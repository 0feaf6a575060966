package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Keyset paging under concurrent writes on the embedded H2 database. */
final class PagingUnderWritesH2Test extends PagingUnderWritesContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
