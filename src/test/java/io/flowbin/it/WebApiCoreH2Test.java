package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** The core Web API behaviour on the embedded H2 database. */
final class WebApiCoreH2Test extends WebApiCoreContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
