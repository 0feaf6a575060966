package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** FetchXML on PostgreSQL. */
final class FetchXmlPostgresTest extends FetchXmlContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
