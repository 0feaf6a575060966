package io.flowbin.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.blob.BlobStore;
import io.flowbin.blob.BlobStores;
import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.error.DataverseException;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ModelJson;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abandoned uploads expire and their staged blocks are deleted; blobs no file refers to are swept; the number of
 * uploads in progress is bounded. In process, on H2 and the file system store, with a clock the test moves.
 */
final class FileCleanupTest {
    private static final UUID USER = UUID.randomUUID();

    @TempDir
    Path tempDir;
    Database database;
    BlobStore blobs;
    FileColumns files;
    FileTarget target;
    final MovableClock clock = new MovableClock();

    @BeforeEach
    void open() {
        Catalog catalog = new Catalog(ModelJson.servedModel());
        database = Database.open(TestDatabases.h2(tempDir), catalog);
        RecordStore store = new RecordStore(catalog, database.dialect());
        blobs = BlobStores.fileSystem(tempDir.resolve("blobs"));
        files = new FileColumns(catalog, database, store, blobs, clock, Duration.ofMinutes(15));
        TableDefinition binaries = catalog.table("flowsessionbinary");
        UUID row = UUID.randomUUID();
        Map<String, @Nullable Object> values = new HashMap<>();
        values.put("flowsessionbinaryid", row);
        values.put("name", "cleanup");
        database.inTransaction(tx -> store.insert(tx, binaries, values));
        target = files.target(binaries, row, "data");
    }

    @AfterEach
    void close() {
        files.close();
        database.close();
    }

    @Test
    void anAbandonedChunkedUploadExpiresAndItsBlocksAreDeleted() {
        String token = files.startChunked(target, "a.bin", USER).token();
        assertEquals(null, files.uploadChunk(target, token, "bytes 0-9/20", 10L,
                new ByteArrayInputStream(new byte[10]), USER));
        assertEquals(1, blobs.stagedBlobNames().size());
        clock.advance(Duration.ofMinutes(14));
        files.cleanUpNow();
        assertEquals(1, blobs.stagedBlobNames().size(), "still within its idle time");
        clock.advance(Duration.ofMinutes(16));
        files.cleanUpNow();
        assertEquals(List.of(), blobs.stagedBlobNames());
        assertEquals(0, files.uploadsInProgress());
        DataverseException expired = org.junit.jupiter.api.Assertions.assertThrows(DataverseException.class,
                () -> files.uploadChunk(target, token, "bytes 10-19/20", 10L,
                        new ByteArrayInputStream(new byte[10]), USER));
        assertEquals(404, expired.httpStatus());
    }

    @Test
    void anAbandonedBlockUploadExpiresAndItsBlocksAreDeleted() {
        String token = files.initializeBlocks(target, "b.bin", USER);
        files.uploadBlock(token, FileColumns.offsetBlockId(0), new ByteArrayInputStream(new byte[100]), USER);
        assertEquals(1, blobs.stagedBlobNames().size());
        clock.advance(Duration.ofMinutes(30));
        files.cleanUpNow();
        assertEquals(List.of(), blobs.stagedBlobNames());
    }

    @Test
    void aBlobNoFileRefersToIsSweptOnceOld() {
        files.upload(target, "kept.txt", new ByteArrayInputStream("kept".getBytes()));
        String orphan = UUID.randomUUID().toString();
        blobs.stageBlock(orphan, FileColumns.offsetBlockId(0), new ByteArrayInputStream("lost".getBytes()));
        blobs.commit(orphan, List.of(FileColumns.offsetBlockId(0)), null);
        files.cleanUpNow();
        assertTrue(blobs.info(orphan).isPresent(), "a young blob may still be committing");
        clock.advance(Duration.ofHours(2));
        files.cleanUpNow();
        assertTrue(blobs.info(orphan).isEmpty(), "the orphan is swept");
        String kept = files.file(target).blobName();
        assertTrue(blobs.info(kept).isPresent(), "a stored file's blob stays");
    }

    @Test
    void theNumberOfUploadsInProgressIsBounded() {
        for (int i = 0; i < FileColumns.MAX_SESSIONS; i++) {
            files.startChunked(target, "n.bin", USER);
        }
        DataverseException refused = org.junit.jupiter.api.Assertions.assertThrows(DataverseException.class,
                () -> files.startChunked(target, "n.bin", USER));
        assertEquals(429, refused.httpStatus());
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
