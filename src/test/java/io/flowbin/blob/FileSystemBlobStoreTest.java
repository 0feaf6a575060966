package io.flowbin.blob;

import io.flowbin.testing.UnevenChannel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file system store: the contract, plus its crash leftovers and the names of its files. */
final class FileSystemBlobStoreTest extends BlobStoreContract {
    @Override
    BlobStore open(Path tempDir) {
        return BlobStores.fileSystem(tempDir.resolve("blobs"));
    }

    @Test
    void openingRemovesHalfWrittenFiles() throws IOException {
        Path leftover = tempDir.resolve("blobs/tmp/0f3c");
        Files.writeString(leftover, "partial");
        store = open(tempDir);
        assertFalse(Files.exists(leftover));
    }

    @Test
    void filesAreNamedByTheGeneratedBlobName() throws IOException {
        String blob = name();
        store.stageBlock(blob, id(1), new java.io.ByteArrayInputStream("x".getBytes()));
        store.commit(blob, List.of(id(1)), "ab".repeat(32));
        try (var files = Files.walk(tempDir.resolve("blobs/committed"))) {
            assertEquals(List.of(blob, blob + ".sha256"), files.filter(Files::isRegularFile)
                    .map(file -> file.getFileName().toString()).sorted().toList());
        }
        store.delete(blob);
    }

    @Test
    void blocksStagedInCommitOrderBecomeTheBlobWithoutACopy() throws IOException {
        String blob = name();
        for (int block = 1; block <= 3; block++) {
            store.stageBlock(blob, id(block), new UnevenChannel(random(100_000, block), 99, 100_000));
        }
        Object staged = Files.getAttribute(tempDir.resolve("blobs/staged/" + blob + "/append"), "unix:ino");
        store.commit(blob, List.of(id(1), id(2), id(3)), null);
        Path committed = tempDir.resolve("blobs/committed/" + blob.substring(0, 2) + "/" + blob);
        assertEquals(staged, Files.getAttribute(committed, "unix:ino"), "the staged file was renamed");
        assertArrayEquals(concat(random(100_000, 1), random(100_000, 2), random(100_000, 3)),
                read(blob, 0, 300_000));
        store.delete(blob);
    }
}
