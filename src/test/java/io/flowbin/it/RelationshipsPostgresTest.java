package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Associations and cascades on PostgreSQL. */
final class RelationshipsPostgresTest extends RelationshipsContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
