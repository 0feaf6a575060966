package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.blob.BlobStore;
import io.flowbin.blob.BlobStores;
import io.flowbin.data.DatabaseSettings;
import io.flowbin.security.DevTokens;
import io.flowbin.testing.Ports;
import io.flowbin.testing.ServerProcess;
import io.flowbin.testing.Azurite;
import io.flowbin.testing.FileClient;
import io.flowbin.testing.TestDatabases;
import io.flowbin.testing.WebApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL in the middle of a chunked upload and of a replacement upload loses nothing it had
 * stored: after a restart the previous files are intact and the partial ones invisible; the chunked upload goes on
 * from the last chunk the server had taken (uploads are recorded in the database), and the blocks the killed
 * single-request upload had staged are deleted once its record expires. The server runs as a separate JVM on the
 * test's class path; once on the embedded default (H2 and the file system store) and once on PostgreSQL with Azure
 * Blob Storage (Azurite).
 */
final class FileCrashSafetyTest {
    private static final String SECRET = "crash-test-secret-of-at-least-thirty-two-bytes";
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-f-]{36})\\)$");
    /** FLOWBIN_UPLOAD_TIMEOUT: short, so that the killed upload's record expires within the test. */
    private static final int UPLOAD_TIMEOUT_SECONDS = 12;

    @Test
    void aKilledServerKeepsTheFilesItHadAndItsUploadsGoOnOrExpireOnTheEmbeddedDefault(@TempDir Path dir) {
        Map<String, String> env = baseEnvironment(dir);
        Path blobs = dir.resolve("data").resolve(BlobStores.FOLDER);
        crashDuringUploads(env, () -> BlobStores.fileSystem(blobs), () -> {
            try (Stream<Path> staged = Files.list(blobs.resolve("staged"))) {
                assertFalse(staged.toList().isEmpty(), "blocks were staged before the kill");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (Stream<Path> leftovers = Files.list(dir.resolve("data").resolve(BlobStores.FOLDER).resolve("tmp"))) {
            assertEquals(List.of(), leftovers.toList(), "half-written files are removed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aKilledServerKeepsTheFilesItHadAndItsUploadsGoOnOrExpireOnPostgresAndAzure(@TempDir Path dir) {
        Map<String, String> env = baseEnvironment(dir);
        DatabaseSettings database = TestDatabases.postgres();
        env.put("FLOWBIN_DB_URL", database.jdbcUrl());
        if (database.user() != null) {
            env.put("FLOWBIN_DB_USER", database.user());
        }
        String container = Azurite.freshContainer();
        env.put("FLOWBIN_BLOB_URL", Azurite.connectionString());
        env.put("FLOWBIN_BLOB_CONTAINER", container);
        try {
            crashDuringUploads(env, () -> BlobStores.azure(Azurite.connectionString(), container), () -> {
                try (BlobStore store = BlobStores.azure(Azurite.connectionString(), container)) {
                    assertFalse(store.stagedBlobNames().isEmpty(), "blocks were staged before the kill");
                }
            });
        } finally {
            TestDatabases.dropCreatedDatabases();
        }
    }

    private static Map<String, String> baseEnvironment(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("FLOWBIN_PORT", Integer.toString(Ports.free()));
        env.put("FLOWBIN_DATA_DIR", dir.resolve("data").toString());
        env.put("FLOWBIN_JWT_SECRET", SECRET);
        env.put("FLOWBIN_ADMIN_OID", UUID.randomUUID().toString());
        env.put("FLOWBIN_UPLOAD_TIMEOUT", Integer.toString(UPLOAD_TIMEOUT_SECONDS));
        return env;
    }

    private void crashDuringUploads(Map<String, String> env, java.util.function.Supplier<BlobStore> openStore,
            Runnable assertStagedBeforeKill) {
        String root = "http://127.0.0.1:" + env.get("FLOWBIN_PORT") + "/api/data/v9.2/";
        String token = DevTokens.of(SECRET.getBytes(StandardCharsets.UTF_8))
                .mint(UUID.fromString(env.get("FLOWBIN_ADMIN_OID")), Duration.ofHours(1));
        WebApiClient api = new WebApiClient(root, token);
        FileClient files = new FileClient(root, token);
        byte[] chunkedOld = random(1_000_000, 1);
        byte[] replacedOld = random(700_000, 2);
        byte[] chunkedNew = random(9_000_000, 3);
        String chunkedRow;
        String replacedRow;
        String location;
        Process server = ServerProcess.start(env, root);
        try {
            String session = create(api, "flowsessions", "{\"name\":\"crash\"}");
            String binary = "{\"name\":\"b\",\"flowsessionid@odata.bind\":\"/flowsessions(" + session + ")\"}";
            chunkedRow = create(api, "flowsessionbinaries", binary);
            replacedRow = create(api, "flowsessionbinaries", binary);
            assertEquals(204, files.upload(data(chunkedRow), chunkedOld, "chunked-old.bin").status());
            assertEquals(204, files.upload(data(replacedRow), replacedOld, "replaced-old.bin").status());

            FileClient.Response start = files.send("PATCH", data(chunkedRow) + "?x-ms-file-name=new.bin",
                    (byte[]) null, "x-ms-transfer-mode", "chunked");
            location = start.header("Location").orElseThrow();
            assertEquals(206, files.send("PATCH", location, Arrays.copyOfRange(chunkedNew, 0, 4_194_304),
                    "Content-Type", "application/octet-stream", "Content-Range", "bytes 0-4194303/9000000").status());
            CountDownLatch sent = new CountDownLatch(2);
            stalledUpload(files, location, 4_194_304, 1_000_000, sent, "Content-Range", "bytes 4194304-8388607/9000000");
            stalledUpload(files, data(replacedRow), 6_000_000, 5_000_000, sent, "x-ms-file-name", "replaced-new.bin");
            assertTrue(sent.await(30, TimeUnit.SECONDS), "the partial bodies were sent");
            Thread.sleep(1500); // let the server take in what was sent
            assertStagedBeforeKill.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            server.destroyForcibly(); // SIGKILL: no shutdown hook runs
            ServerProcess.awaitExit(server);
        }

        Process restarted = ServerProcess.start(env, root);
        try (BlobStore store = openStore.get()) {
            assertArrayEquals(chunkedOld, files.get(data(chunkedRow) + "/$value").body());
            assertArrayEquals(replacedOld, files.get(data(replacedRow) + "/$value").body());
            assertEquals("chunked-old.bin", api.get("flowsessionbinaries(" + chunkedRow + ")").json()
                    .get("data_name").asText());
            assertEquals("replaced-old.bin", api.get("flowsessionbinaries(" + replacedRow + ")").json()
                    .get("data_name").asText());
            // the chunk cut off by the kill was not taken: the upload goes on from the one before it
            assertEquals(400, files.send("PATCH", location, Arrays.copyOfRange(chunkedNew, 0, 4_194_304),
                    "Content-Type", "application/octet-stream", "Content-Range", "bytes 0-4194303/9000000").status(),
                    "the first chunk was taken before the kill");
            assertEquals(206, files.send("PATCH", location, Arrays.copyOfRange(chunkedNew, 4_194_304, 8_388_608),
                    "Content-Type", "application/octet-stream", "Content-Range", "bytes 4194304-8388607/9000000")
                    .status());
            assertArrayEquals(chunkedOld, files.get(data(chunkedRow) + "/$value").body(), "invisible until complete");
            assertEquals(204, files.send("PATCH", location, Arrays.copyOfRange(chunkedNew, 8_388_608, 9_000_000),
                    "Content-Type", "application/octet-stream", "Content-Range", "bytes 8388608-8999999/9000000")
                    .status());
            FileClient.Response stored = files.get(data(chunkedRow) + "/$value");
            assertArrayEquals(chunkedNew, stored.body());
            assertEquals("sha-256=:" + Base64.getEncoder().encodeToString(sha256(chunkedNew)) + ":",
                    stored.header("Repr-Digest").orElseThrow(), "the checksum covers the bytes of both runs");
            assertEquals("new.bin", api.get("flowsessionbinaries(" + chunkedRow + ")").json().get("data_name")
                    .asText());
            // the killed single-request upload's record expires, and its staged blocks go with it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(UPLOAD_TIMEOUT_SECONDS + 30);
            while (!store.stagedBlobNames().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertEquals(List.of(), store.stagedBlobNames(), "staged blocks are removed once their upload expires");
            assertArrayEquals(replacedOld, files.get(data(replacedRow) + "/$value").body());
            List<String> committed = store.committedBlobNames(Instant.now().plusSeconds(3600), 1000);
            assertEquals(2, committed.size(), "only the two stored files have blobs: " + committed);
            for (String blob : committed) {
                assertEquals(200, api.get("fileattachments(" + blob + ")").status());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            restarted.destroy();
            ServerProcess.awaitExit(restarted);
        }
    }

    /** Sends the first {@code sent} bytes of a {@code length}-byte body, then stalls until the server dies. */
    private static void stalledUpload(FileClient files, String path, long length, int sentBytes,
            CountDownLatch sent, String... headers) {
        InputStream body = new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (position >= sentBytes) {
                    sent.countDown();
                    try {
                        Thread.sleep(Long.MAX_VALUE); // until the connection dies with the server
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return -1;
                }
                int n = (int) Math.min(count, sentBytes - position);
                Arrays.fill(buffer, offset, offset + n, (byte) 7);
                position += n;
                return n;
            }
        };
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/octet-stream";
        HttpRequest request = files.request("PATCH", path,
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length),
                all);
        FileClient.http().sendAsync(request, HttpResponse.BodyHandlers.discarding());
    }

    private static String create(WebApiClient api, String set, String body) {
        WebApiClient.Response response = api.post(set, body);
        assertEquals(204, response.status(), response.body());
        Matcher id = ENTITY_ID.matcher(response.header("OData-EntityId").orElseThrow());
        assertTrue(id.find());
        return id.group(1);
    }

    private static String data(String row) {
        return "flowsessionbinaries(" + row + ")/data";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
