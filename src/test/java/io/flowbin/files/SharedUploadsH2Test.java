package io.flowbin.files;

import io.flowbin.blob.BlobStore;
import io.flowbin.blob.BlobStores;
import io.flowbin.testing.DatabaseKind;
import java.nio.file.Path;

/** Uploads shared by nodes on H2 and one file system blob store (as nodes on one machine would share them). */
final class SharedUploadsH2Test extends SharedUploadsContract {
    @Override
    DatabaseKind databaseKind() {
        return DatabaseKind.H2;
    }

    @Override
    BlobStore openBlobStore(Path tempDir) {
        return BlobStores.fileSystem(tempDir.resolve("blobs"));
    }
}
