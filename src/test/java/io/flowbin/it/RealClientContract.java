package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.NodeClient;
import io.flowbin.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm client {@code dynamics-web-api} creates, retrieves, updates, upserts and deletes rows (script {@code
 * src/test/node/crud.mjs}) and queries, pages, counts and fetches them ({@code queries.mjs}) against the server
 * unmodified; {@code ./flowbin test} installs the client first.
 */
abstract class RealClientContract {
    abstract DatabaseKind kind();

    @Test
    void dynamicsWebApiDrivesCreateRetrieveUpdateUpsertAndDelete(@TempDir Path tempDir)
            {
        runScript("crud.mjs", tempDir);
    }

    @Test
    void dynamicsWebApiQueriesPagesCountsAndFetches(@TempDir Path tempDir) {
        runScript("queries.mjs", tempDir);
    }

    private void runScript(String script, Path tempDir) {
        try (TestServer server = TestServer.start(kind(), tempDir)) {
            String output = NodeClient.run(server, script, Duration.ofSeconds(120));
            assertTrue(output.contains(": all steps passed"), output);
            server.assertNoLeakedConnections();
        }
    }
}
