package io.flowbin.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowbin.blob.BlobStore;
import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.error.DataverseException;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ModelJson;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.testing.DatabaseKind;
import io.flowbin.testing.TestDatabase;
import io.flowbin.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server nodes that share one database and one blob store share the uploads in progress: any node takes an upload's
 * next chunk or block, a node that starts leaves the others' uploads alone, and an upload outlives the node that
 * began it. Each "node" here is a {@link FileColumns} of its own over the same database and blob store, in process.
 */
abstract class SharedUploadsContract {
    private static final UUID USER = UUID.randomUUID();
    private static final int CHUNK = FileColumns.CHUNK_SIZE;

    @TempDir
    Path tempDir;
    TestDatabase testDatabase;
    Database database;
    BlobStore blobs;
    RecordStore store;
    Catalog catalog;
    TableDefinition binaries;
    final List<FileColumns> nodes = new ArrayList<>();

    abstract DatabaseKind databaseKind();

    abstract BlobStore openBlobStore(Path tempDir);

    @BeforeEach
    void open() {
        catalog = new Catalog(ModelJson.servedModel());
        testDatabase = TestDatabases.create(databaseKind(), tempDir);
        database = Database.open(testDatabase.settings(), catalog);
        store = new RecordStore(catalog, database.dialect());
        blobs = openBlobStore(tempDir);
        binaries = catalog.table("flowsessionbinary");
    }

    @AfterEach
    void close() {
        for (FileColumns node : nodes) {
            node.close();
        }
        blobs.close();
        database.close();
        testDatabase.close();
    }

    /** A node: started, as a server starts it. */
    private FileColumns node() {
        FileColumns node = new FileColumns(catalog, database, store, blobs, Clock.systemUTC(), Duration.ofMinutes(15));
        node.start();
        nodes.add(node);
        return node;
    }

    private FileTarget newRow(FileColumns files) {
        UUID row = UUID.randomUUID();
        Map<String, @Nullable Object> values = new HashMap<>();
        values.put("flowsessionbinaryid", row);
        values.put("name", "shared");
        database.inTransaction(tx -> store.insert(tx, binaries, values));
        return files.target(binaries, row, "data");
    }

    @Test
    void chunksOfOneUploadMayGoToAnyNode() {
        FileColumns first = node();
        FileColumns second = node();
        FileTarget target = newRow(first);
        byte[] content = random(3 * CHUNK + 1234, 1);
        String token = first.startChunked(target, "shared.bin", USER).token();
        FileColumns[] route = {second, first, first, second};
        StoredFile stored = null;
        for (int i = 0; i < route.length; i++) {
            int from = i * CHUNK;
            int to = Math.min(content.length, from + CHUNK);
            stored = chunk(route[i], target, token, content, from, to);
            assertEquals(i == route.length - 1, stored != null, "only the last chunk completes the file");
        }
        assertFile(first, target, content, "shared.bin");
        assertFile(second, target, content, "shared.bin");
        assertEquals(stored, second.uploadChunk(target, token, "bytes " + content.length + "-"
                + (content.length - 1) + "/" + content.length, 0L, InputStream.nullInputStream(), USER),
                "a zero-length final chunk on another node answers the completed file");
    }

    @Test
    void aChunkThatOverlapsIsRefusedOnEveryNode() {
        FileColumns first = node();
        FileColumns second = node();
        FileTarget target = newRow(first);
        byte[] content = random(2 * CHUNK, 2);
        String token = first.startChunked(target, "o.bin", USER).token();
        assertNull(chunk(first, target, token, content, 0, CHUNK));
        DataverseException overlap = assertThrows(DataverseException.class,
                () -> chunk(second, target, token, content, 0, CHUNK));
        assertEquals(400, overlap.httpStatus());
        chunk(second, target, token, content, CHUNK, 2 * CHUNK);
        assertFile(first, target, content, "o.bin");
    }

    @Test
    void blocksStagedOnSeveralNodesAreCommittedOnAnother() {
        FileColumns first = node();
        FileColumns second = node();
        FileColumns third = node();
        FileTarget target = newRow(first);
        byte[] content = random(300_000, 3);
        String token = first.initializeBlocks(target, "blocks.bin", USER);
        List<String> ids = List.of(blockId(0), blockId(1), blockId(2));
        // staged out of order, one of them twice
        second.uploadBlock(token, ids.get(2), new ByteArrayInputStream(content, 200_000, 100_000), USER);
        first.uploadBlock(token, ids.get(0), new ByteArrayInputStream(random(5, 9)), USER);
        third.uploadBlock(token, ids.get(1), new ByteArrayInputStream(content, 100_000, 100_000), USER);
        second.uploadBlock(token, ids.get(0), new ByteArrayInputStream(content, 0, 100_000), USER);
        StoredFile file = third.commitBlocks(token, null, null, ids, USER);
        assertEquals(300_000, file.size());
        assertFile(second, target, content, "blocks.bin");
        assertEquals(0, first.uploadsInProgress());
    }

    @Test
    void theLimitOnUploadsInProgressCountsEveryNode() {
        FileColumns first = node();
        FileColumns second = node();
        FileTarget target = newRow(first);
        for (int i = 0; i < FileColumns.MAX_SESSIONS; i++) {
            (i % 2 == 0 ? first : second).initializeBlocks(target, "n.bin", USER);
        }
        assertEquals(FileColumns.MAX_SESSIONS, first.uploadsInProgress());
        assertEquals(429, assertThrows(DataverseException.class,
                () -> second.startChunked(target, "n.bin", USER)).httpStatus());
    }

    @Test
    void aNodeThatStartsLeavesTheUploadsOfOthersAlone() throws Exception {
        FileColumns first = node();
        FileTarget chunkedTarget = newRow(first);
        FileTarget singleTarget = newRow(first);
        byte[] content = random(2 * CHUNK, 4);
        String token = first.startChunked(chunkedTarget, "c.bin", USER).token();
        chunk(first, chunkedTarget, token, content, 0, CHUNK);
        // a single-request upload that is still receiving while another node starts
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch otherNodeStarted = new CountDownLatch(1);
        InputStream slowBody = new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (position == content.length) {
                    return -1;
                }
                if (position >= content.length / 2 && halfSent.getCount() > 0) {
                    halfSent.countDown();
                    try {
                        otherNodeStarted.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int n = Math.min(length, Math.min(64 * 1024, content.length - position));
                System.arraycopy(content, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
        try (ExecutorService uploader = Executors.newSingleThreadExecutor()) {
            Future<StoredFile> single = uploader.submit(() -> first.upload(singleTarget, "s.bin", slowBody));
            halfSent.await(30, TimeUnit.SECONDS);
            node(); // starts, and sweeps staged blocks that no upload owns
            otherNodeStarted.countDown();
            assertEquals(content.length, single.get(60, TimeUnit.SECONDS).size());
        }
        assertFile(first, singleTarget, content, "s.bin");
        chunk(first, chunkedTarget, token, content, CHUNK, 2 * CHUNK);
        assertFile(first, chunkedTarget, content, "c.bin");
    }

    @Test
    void anUploadOutlivesTheNodeThatBeganIt() {
        FileColumns first = node();
        FileTarget target = newRow(first);
        byte[] content = random(CHUNK + 10, 5);
        String token = first.startChunked(target, "later.bin", USER).token();
        chunk(first, target, token, content, 0, CHUNK);
        first.close();
        nodes.remove(first);
        FileColumns restarted = node();
        chunk(restarted, target, token, content, CHUNK, content.length);
        assertFile(restarted, target, content, "later.bin");
    }

    /** Sends bytes {@code from} (inclusive) to {@code to} (exclusive) of the content as a chunk to the node. */
    private static @Nullable StoredFile chunk(FileColumns node, FileTarget target, String token, byte[] content,
            int from, int to) {
        return node.uploadChunk(target, token, "bytes " + from + "-" + (to - 1) + "/" + content.length,
                (long) (to - from), new ByteArrayInputStream(content, from, to - from), USER);
    }

    /** The column holds exactly these bytes, under this name, with their SHA-256 as its checksum. */
    private static void assertFile(FileColumns files, FileTarget target, byte[] content, String name) {
        StoredFile file = files.file(target);
        assertEquals(name, file.fileName());
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        files.read(file, 0, file.size(), read);
        assertArrayEquals(content, read.toByteArray());
        assertEquals(HexFormat.of().formatHex(sha256(content)), files.checksum(file).orElseThrow());
    }

    private static String blockId(int index) {
        return java.util.Base64.getEncoder().encodeToString(String.format("block-%04d", index).getBytes());
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Arrays.copyOf(bytes, size);
    }
}
