package io.flowbin.it;

import io.flowbin.testing.DatabaseKind;

/** Webhooks, queues and system jobs on H2. */
final class WebhooksH2Test extends WebhooksContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
