package io.flowbin.files;

import io.flowbin.blob.BlobStore;
import io.flowbin.blob.BlobStores;
import io.flowbin.testing.Azurite;
import io.flowbin.testing.DatabaseKind;
import java.nio.file.Path;

/** Uploads shared by nodes on PostgreSQL and Azure Blob Storage (Azurite): the deployment with several nodes. */
final class SharedUploadsPostgresAzureTest extends SharedUploadsContract {
    @Override
    DatabaseKind databaseKind() {
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    BlobStore openBlobStore(Path tempDir) {
        return BlobStores.azure(Azurite.connectionString(), Azurite.freshContainer());
    }
}
