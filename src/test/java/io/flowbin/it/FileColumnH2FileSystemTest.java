package io.flowbin.it;

import io.flowbin.testing.BlobKind;
import io.flowbin.testing.DatabaseKind;

/** The File column behaviour on H2 with the FileSystem blob store. */
final class FileColumnH2FileSystemTest extends FileColumnContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }

    @Override
    BlobKind blobs() {
        return BlobKind.FILE_SYSTEM;
    }
}
