package io.flowbin.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server in a process of its own, for tests that kill it ({@code kill -9}) and start it again on the same data:
 * started with the test class path and exactly the given settings, its output appended to
 * {@code <FLOWBIN_DATA_DIR>-server.log}. Stateless.
 */
public final class ServerProcess {

    private ServerProcess() {}

    /** Starts the server and waits up to 60 s until {@code root}/health answers 200. */
    public static Process start(Map<String, String> env, String root) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath, "io.flowbin.Main", "serve")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        new File(env.get("FLOWBIN_DATA_DIR") + "-server.log")));
        builder.environment().keySet().removeIf(name -> name.startsWith("FLOWBIN_"));
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WebApiClient health = new WebApiClient(root, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (health.get("/health").status() == 200) {
                    return process;
                }
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            if (!process.isAlive()) {
                break;
            }
            sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("The server did not become ready; see " + env.get("FLOWBIN_DATA_DIR")
                + "-server.log");
    }

    /** Waits up to 30 s for the process to end (after a kill or a SIGTERM), then kills it for good. */
    public static void awaitExit(Process process) {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
