package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** FetchXML on the embedded H2 database. */
final class FetchXmlH2Test extends FetchXmlContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
