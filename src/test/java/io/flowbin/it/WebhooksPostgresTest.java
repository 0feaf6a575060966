package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Webhooks, queues and system jobs on Postgres. */
final class WebhooksPostgresTest extends WebhooksContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
