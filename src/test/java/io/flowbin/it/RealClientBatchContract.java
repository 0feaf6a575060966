package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.NodeClient;
import io.flowbin.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm client {@code dynamics-web-api} runs {@code executeBatch} (change sets, Content-ID references,
 * continue-on-error, a failing change set, impersonation per request and per batch), the bulk actions,
 * IsValidStateTransition and associations against the server unmodified (script {@code src/test/node/batch.mjs};
 * {@code ./flowbin test} installs the client first).
 */
abstract class RealClientBatchContract {
    abstract DatabaseKind kind();

    @Test
    void dynamicsWebApiRunsBatchesBulkActionsAndAssociations(@TempDir Path tempDir) {
        try (TestServer server = TestServer.start(kind(), tempDir)) {
            SecurityFixture org = new SecurityFixture(server);
            SecurityFixture.User impersonated = org.user("client impersonated", org.rootUnit);
            org.giveRole("systemusers", impersonated.id(), org.role("client impersonated", "Global",
                    List.of("flowsessionbinary", "flowsession"), "Create", "Read", "Append", "AppendTo"));
            NodeClient.run(server, "batch.mjs", Duration.ofSeconds(120),
                    Map.of("IMPERSONATED_USER_ID", impersonated.id()));
            assertEquals(0, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"name\" = ?",
                    "batch-undone"), "the failed change set left its create behind");
            server.assertNoLeakedConnections();
        }
    }
}
