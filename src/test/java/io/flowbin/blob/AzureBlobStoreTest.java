package io.flowbin.blob;

import io.flowbin.testing.Azurite;
import java.nio.file.Path;

/** The Azure Blob Storage store against Azurite: the contract. */
final class AzureBlobStoreTest extends BlobStoreContract {
    @Override
    BlobStore open(Path tempDir) {
        return BlobStores.azure(Azurite.connectionString(), Azurite.freshContainer());
    }
}
