package io.flowbin.it;

import io.flowbin.testing.BlobKind;
import io.flowbin.testing.DatabaseKind;

/** The real client's file transfers on PostgreSQL and Azure Blob Storage (Azurite). */
final class RealClientFilesPostgresAzureTest extends RealClientFilesContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    BlobKind blobs() {
        return BlobKind.AZURE;
    }
}
