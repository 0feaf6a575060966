package io.flowbin.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.testing.UnevenChannel;
import io.flowbin.blob.BlobStore.BlobInfo;
import io.flowbin.blob.BlobStore.StagedBlock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every blob store does: staged blocks stay invisible until a commit joins them; reads by range; deletes. */
abstract class BlobStoreContract {
    @TempDir
    Path tempDir;
    BlobStore store;

    abstract BlobStore open(Path tempDir);

    @BeforeEach
    void openStore() {
        store = open(tempDir);
    }

    @AfterEach
    void noStagedLeftovers() {
        try {
            assertEquals(List.of(), store.stagedBlobNames(), "staged blocks left behind");
        } finally {
            store.close();
        }
    }

    static String id(int number) {
        return Base64.getEncoder().encodeToString(String.format("block-%06d", number).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String name() {
        return UUID.randomUUID().toString();
    }

    byte[] read(String blob, long offset, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.read(blob, offset, length, out);
        return out.toByteArray();
    }

    @Test
    void stagedBlocksAreInvisibleUntilCommitted() {
        String blob = name();
        assertEquals(5, store.stageBlock(blob, id(1), new ByteArrayInputStream("hello".getBytes())));
        assertTrue(store.info(blob).isEmpty());
        assertEquals(List.of(new StagedBlock(id(1), 5)), store.stagedBlocks(blob));
        assertEquals(List.of(blob), store.stagedBlobNames());
        store.delete(blob);
        assertEquals(List.of(), store.stagedBlocks(blob));
    }

    @Test
    void commitJoinsBlocksInTheGivenOrderAndKeepsTheChecksum() {
        String blob = name();
        byte[] first = random(100_000, 1);
        byte[] second = random(70_000, 2);
        store.stageBlock(blob, id(2), new ByteArrayInputStream(second));
        store.stageBlock(blob, id(1), new ByteArrayInputStream(first));
        store.stageBlock(blob, id(3), new ByteArrayInputStream(random(10, 3))); // not committed: discarded
        BlobInfo info = store.commit(blob, List.of(id(1), id(2)), "ab".repeat(32));
        assertEquals(170_000, info.size());
        assertEquals("ab".repeat(32), info.sha256());
        byte[] whole = read(blob, 0, 170_000);
        assertArrayEquals(first, Arrays.copyOfRange(whole, 0, 100_000));
        assertArrayEquals(second, Arrays.copyOfRange(whole, 100_000, 170_000));
        assertEquals(List.of(), store.stagedBlocks(blob));
        assertEquals("ab".repeat(32), store.info(blob).orElseThrow().sha256());
        store.delete(blob);
    }

    @Test
    void aSingleBlockCommitsAsItIs() {
        String blob = name();
        byte[] bytes = random(300_000, 4);
        store.stageBlock(blob, id(1), new ByteArrayInputStream(bytes));
        store.commit(blob, List.of(id(1)), null);
        assertArrayEquals(bytes, read(blob, 0, bytes.length));
        assertNull(store.info(blob).orElseThrow().sha256());
        store.putChecksum(blob, "cd".repeat(32));
        assertEquals("cd".repeat(32), store.info(blob).orElseThrow().sha256());
        store.delete(blob);
    }

    @Test
    void anEmptyBlockListCommitsAnEmptyBlob() {
        String blob = name();
        assertEquals(0, store.commit(blob, List.of(), null).size());
        assertEquals(0, read(blob, 0, 0).length);
        store.delete(blob);
    }

    @Test
    void rangesAreReadExactly() {
        String blob = name();
        byte[] bytes = random(200_000, 5);
        store.stageBlock(blob, id(1), new ByteArrayInputStream(bytes));
        store.commit(blob, List.of(id(1)), null);
        assertArrayEquals(Arrays.copyOfRange(bytes, 1000, 151_000), read(blob, 1000, 150_000));
        assertArrayEquals(Arrays.copyOfRange(bytes, 199_999, 200_000), read(blob, 199_999, 1));
        assertThrows(BlobStoreException.class, () -> read(blob, 199_999, 2));
        store.delete(blob);
    }

    @Test
    void committingABlockThatWasNotStagedFails() {
        String blob = name();
        store.stageBlock(blob, id(1), new ByteArrayInputStream(random(10, 6)));
        assertThrows(BlobStoreException.class, () -> store.commit(blob, List.of(id(1), id(2)), null));
        assertTrue(store.info(blob).isEmpty());
        store.delete(blob);
    }

    @Test
    void aCommitReplacesTheContentAtOnce() {
        String blob = name();
        store.stageBlock(blob, id(1), new ByteArrayInputStream("old".getBytes()));
        store.commit(blob, List.of(id(1)), null);
        store.stageBlock(blob, id(1), new ByteArrayInputStream("newer".getBytes()));
        assertArrayEquals("old".getBytes(), read(blob, 0, 3), "staging leaves the committed content alone");
        store.commit(blob, List.of(id(1)), null);
        assertArrayEquals("newer".getBytes(), read(blob, 0, 5));
        store.delete(blob);
    }

    @Test
    void deleteRemovesCommittedContentAndIsIdempotent() {
        String blob = name();
        store.stageBlock(blob, id(1), new ByteArrayInputStream("x".getBytes()));
        store.commit(blob, List.of(id(1)), null);
        store.delete(blob);
        assertTrue(store.info(blob).isEmpty());
        store.delete(blob);
        assertThrows(BlobStoreException.class, () -> read(blob, 0, 1));
    }

    @Test
    void committedBlobsAreListedByAge() {
        String blob = name();
        store.stageBlock(blob, id(1), new ByteArrayInputStream("x".getBytes()));
        store.commit(blob, List.of(id(1)), null);
        assertTrue(store.committedBlobNames(Instant.now().plusSeconds(60), 1000).contains(blob));
        assertFalse(store.committedBlobNames(Instant.now().minusSeconds(3600), 1000).contains(blob));
        assertTrue(store.stagedBlobNames().isEmpty());
        store.delete(blob);
    }

    @Test
    void blockIdsMustBeShortBase64() {
        String blob = name();
        assertThrows(BlobStoreException.class,
                () -> store.stageBlock(blob, "not base64!", new ByteArrayInputStream(new byte[1])));
        String tooLong = Base64.getEncoder().encodeToString(new byte[65]);
        assertThrows(BlobStoreException.class,
                () -> store.stageBlock(blob, tooLong, new ByteArrayInputStream(new byte[1])));
        assertThrows(IllegalArgumentException.class,
                () -> store.stageBlock("../escape", id(1), new ByteArrayInputStream(new byte[1])));
    }

    @Test
    void aFailingContentStreamStagesNothing() {
        String blob = name();
        IllegalStateException refused = new IllegalStateException("too large");
        java.io.InputStream failing = new java.io.InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent++ > 100_000) {
                    throw refused;
                }
                return 7;
            }
        };
        assertEquals(refused, assertThrows(IllegalStateException.class, () -> store.stageBlock(blob, id(1), failing)));
        assertEquals(List.of(), store.stagedBlocks(blob));
        store.delete(blob);
    }

    @Test
    void aBlockStagedAgainReplacesItsEarlierContent() {
        String blob = name();
        byte[] first = random(50_000, 11);
        byte[] second = random(60_000, 12);
        byte[] third = random(70_000, 13);
        byte[] secondAgain = random(40_000, 14);
        store.stageBlock(blob, id(1), new ByteArrayInputStream(first));
        store.stageBlock(blob, id(2), new ByteArrayInputStream(second));
        store.stageBlock(blob, id(3), new ByteArrayInputStream(third));
        store.stageBlock(blob, id(2), new ByteArrayInputStream(secondAgain));
        assertEquals(List.of(new StagedBlock(id(1), 50_000), new StagedBlock(id(2), 40_000),
                new StagedBlock(id(3), 70_000)), sorted(store.stagedBlocks(blob)));
        store.commit(blob, List.of(id(1), id(2), id(3)), null);
        assertArrayEquals(concat(first, secondAgain, third), read(blob, 0, 160_000));
        store.delete(blob);
    }

    @Test
    void aFailedBlockLeavesTheBlocksBeforeItAsTheyWere() {
        String blob = name();
        byte[] first = random(30_000, 15);
        byte[] second = random(20_000, 16);
        store.stageBlock(blob, id(1), new ByteArrayInputStream(first));
        IllegalStateException refused = new IllegalStateException("too large");
        assertThrows(IllegalStateException.class, () -> store.stageBlock(blob, id(2), failingAfter(5000, refused)));
        assertEquals(List.of(new StagedBlock(id(1), 30_000)), store.stagedBlocks(blob));
        store.stageBlock(blob, id(2), new ByteArrayInputStream(second));
        store.commit(blob, List.of(id(1), id(2)), null);
        assertArrayEquals(concat(first, second), read(blob, 0, 50_000));
        store.delete(blob);
    }

    @Test
    void contentThatIsAlsoAChannelIsStagedExactly() {
        String blob = name();
        byte[] first = random(700_000, 17);
        byte[] second = random(123_457, 18);
        assertEquals(700_000, store.stageBlock(blob, id(1), new UnevenChannel(first, 99, 100_000)));
        assertEquals(123_457, store.stageBlock(blob, id(2), new UnevenChannel(second, 99, 100_000)));
        store.commit(blob, List.of(id(1), id(2)), null);
        assertArrayEquals(concat(first, second), read(blob, 0, 823_457));
        store.delete(blob);
    }

    static java.io.InputStream failingAfter(int bytes, RuntimeException failure) {
        return new java.io.InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent++ >= bytes) {
                    throw failure;
                }
                return 7;
            }
        };
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }

    static List<StagedBlock> sorted(List<StagedBlock> blocks) {
        return blocks.stream().sorted(java.util.Comparator.comparing(StagedBlock::id)).toList();
    }
}
