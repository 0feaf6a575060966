package io.flowbin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code src/test/node} (the real npm client {@code dynamics-web-api}) against a test server, with
 * the server root, an administrator token and a fresh flow session in its environment.
 */
public final class NodeClient {
    private static final Path NODE_DIR = Path.of("src/test/node");

    private NodeClient() {}

    /** Runs the script and returns its output; a missing client, a timeout or a non-zero exit fails the test. */
    public static String run(TestServer server, String script, Duration timeout) {
        return run(server, script, timeout, java.util.Map.of());
    }

    /** Runs the script with further environment variables (tokens of other users, ids of rows). */
    public static String run(TestServer server, String script, Duration timeout,
            java.util.Map<String, String> environment) {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/dynamics-web-api"))) {
            throw new AssertionError(
                    "the npm client is not installed: run `npm ci` in src/test/node (./flowbin test does it)");
        }
        String flowSession = server.client().create("flowsessions", "{\"name\":\"client run\"}");
        ProcessBuilder node = new ProcessBuilder("node", script)
                .directory(NODE_DIR.toFile())
                .redirectErrorStream(true);
        node.environment().put("FLOWBIN_URL", server.baseUrl());
        node.environment().put("FLOWBIN_TOKEN", server.adminToken());
        node.environment().put("FLOW_SESSION_ID", flowSession);
        node.environment().putAll(environment);
        try {
            Process process = node.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("node " + script + " did not finish within " + timeout + "\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("node " + script + " exited with " + process.exitValue() + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("node " + script + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
