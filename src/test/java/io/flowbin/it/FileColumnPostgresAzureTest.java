package io.flowbin.it;

import io.flowbin.testing.BlobKind;
import io.flowbin.testing.DatabaseKind;

/** The File column behaviour on Postgres with the Azure blob store. */
final class FileColumnPostgresAzureTest extends FileColumnContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    BlobKind blobs() {
        return BlobKind.AZURE;
    }
}
