package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.NodeClient;
import io.flowbin.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm client {@code dynamics-web-api} runs {@code executeBatch} (change sets, Content-ID references,
 * continue-on-error, a failing change set), the bulk actions, IsValidStateTransition and associations against the
 * server unmodified (script {@code src/test/node/batch.mjs}; {@code ./flowbin test} installs the client first).
 */
abstract class RealClientBatchContract {
    abstract DatabaseKind kind();

    @Test
    void dynamicsWebApiRunsBatchesBulkActionsAndAssociations(@TempDir Path tempDir) {
        try (TestServer server = TestServer.start(kind(), tempDir)) {
            NodeClient.run(server, "batch.mjs", Duration.ofSeconds(120));
            assertEquals(0, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"name\" = ?",
                    "batch-undone"), "the failed change set left its create behind");
            server.assertNoLeakedConnections();
        }
    }
}
