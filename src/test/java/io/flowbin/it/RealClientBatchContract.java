package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.TestServer;
import io.flowbin.testing.WebApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real npm client {@code dynamics-web-api} runs {@code executeBatch} (change sets, Content-ID references,
 * continue-on-error, a failing change set), the bulk actions, IsValidStateTransition and associations against the
 * server unmodified (script {@code src/test/node/batch.mjs}; {@code ./flowbin test} installs the client first).
 */
abstract class RealClientBatchContract {
    private static final Path NODE_DIR = Path.of("src/test/node");

    abstract DatabaseKind kind();

    @Test
    void dynamicsWebApiRunsBatchesBulkActionsAndAssociations(@TempDir Path tempDir)
            throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/dynamics-web-api")),
                "the npm client is not installed: run `npm ci` in src/test/node (./flowbin test does it)");
        try (TestServer server = TestServer.start(kind(), tempDir)) {
            WebApiClient api = server.client();
            WebApiClient.Response session = api.post("flowsessions", "{\"name\":\"client batch run\"}");
            Matcher id = Pattern.compile("\\(([0-9a-f-]{36})\\)$")
                    .matcher(session.header("OData-EntityId").orElseThrow());
            assertTrue(id.find());
            ProcessBuilder node = new ProcessBuilder("node", "batch.mjs")
                    .directory(NODE_DIR.toFile())
                    .redirectErrorStream(true);
            node.environment().put("FLOWBIN_URL", server.baseUrl());
            node.environment().put("FLOWBIN_TOKEN", server.adminToken());
            node.environment().put("FLOW_SESSION_ID", id.group(1));
            Process process = node.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "node did not finish");
            assertEquals(0, process.exitValue(), output);
            assertEquals(0, server.count("SELECT COUNT(*) FROM \"flowsessionbinary\" WHERE \"name\" = ?",
                    "batch-undone"), "the failed change set left its create behind");
            server.assertNoLeakedConnections();
        }
    }
}
