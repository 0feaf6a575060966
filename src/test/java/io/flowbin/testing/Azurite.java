package io.flowbin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Azurite, the Azure Storage emulator, for the tests: the blob service of the npm package {@code azurite} installed in
 * {@code src/test/node} (by {@code npm ci}), started once per test JVM on a free loopback port and stopped when the
 * JVM exits. With the system property {@code flowbin.test.azurite} (a connection string) an Azurite started elsewhere
 * is used instead. A missing or unreachable Azurite fails the test with the reason; it never skips it. Thread-safe.
 */
public final class Azurite {
    /** Azurite's documented development account and key. */
    private static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Path LAUNCHER = NODE_DIR.resolve("node_modules/.bin/azurite-blob");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static String connectionString;

    private Azurite() {}

    /** The connection string of the running Azurite, starting it first when needed. */
    public static synchronized String connectionString() {
        if (connectionString == null) {
            String external = System.getProperty("flowbin.test.azurite");
            connectionString = external != null && !external.isBlank() ? external : start();
        }
        return connectionString;
    }

    /** A fresh container name, so that tests sharing one Azurite never see each other's blobs. */
    public static String freshContainer() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "test-" + HexFormat.of().formatHex(bytes);
    }

    private static String start() {
        if (!Files.exists(LAUNCHER)) {
            throw new IllegalStateException("Azurite is not installed: " + LAUNCHER.toAbsolutePath() + " is missing;"
                    + " run `npm ci` in src/test/node (./flowbin test and .ci/run do it)");
        }
        int port = Ports.free();
        Path location;
        try {
            location = Files.createTempDirectory("flowbin-azurite");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder("node", LAUNCHER.toString(), "--silent", "--skipApiVersionCheck",
                "--location", location.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(location.resolve("azurite.log").toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Azurite could not be started with `node " + LAUNCHER + "`: "
                    + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "stop-azurite"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!reachable(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop(process);
                throw new IllegalStateException("Azurite did not start on 127.0.0.1:" + port + " within 30 s; see "
                        + location.resolve("azurite.log"));
            }
            sleep(100);
        }
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Azurite", e);
        }
    }
}
