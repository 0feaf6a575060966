package io.flowbin.it;

import io.flowbin.testing.BlobKind;
import io.flowbin.testing.DatabaseKind;

/** The real client's file transfers on the embedded H2 database and the file system store. */
final class RealClientFilesH2FileSystemTest extends RealClientFilesContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }

    @Override
    BlobKind blobs() {
        return BlobKind.FILE_SYSTEM;
    }
}
