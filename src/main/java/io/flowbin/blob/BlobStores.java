package io.flowbin.blob;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Opens the blob store a configuration names. Stateless. */
public final class BlobStores {
    /** The folder under the data folder that holds the file system store. */
    public static final String FOLDER = "blobs";

    private BlobStores() {}

    /**
     * Azure Blob Storage when a connection string is given, else the file system store in {@code dataDir/blobs}.
     *
     * @throws BlobStoreException when the store cannot be opened
     */
    public static BlobStore open(@Nullable String connectionString, String container, Path dataDir) {
        return connectionString == null
                ? FileSystemBlobStore.open(dataDir.resolve(FOLDER))
                : AzureBlobStore.open(connectionString, container);
    }

    /** The file system store in this folder. */
    public static BlobStore fileSystem(Path folder) {
        return FileSystemBlobStore.open(folder);
    }

    /** The store in this Azure Blob Storage container. */
    public static BlobStore azure(String connectionString, String container) {
        return AzureBlobStore.open(connectionString, container);
    }
}
