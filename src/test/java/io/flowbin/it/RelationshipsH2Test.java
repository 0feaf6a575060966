package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Associations and cascades on the embedded H2 database. */
final class RelationshipsH2Test extends RelationshipsContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
