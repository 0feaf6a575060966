package io.flowbin.blob;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Blobs as block blobs in one Azure Blob Storage container, through the Azure SDK over the JDK's HTTP client: a staged
 * block is Put Block, a commit is Put Block List (with the checksum as blob metadata), a read is a ranged Get Blob.
 * Thread-safe.
 *
 * <p>A block is sent from memory so that the SDK can retry it; blocks are therefore at most
 * {@value #MAX_BLOCK_BYTES} bytes, which bounds the heap a transfer uses.
 */
final class AzureBlobStore implements BlobStore {
    static final int MAX_BLOCK_BYTES = 4 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final BlobContainerClient container;
    private final String description;

    private AzureBlobStore(BlobContainerClient container, String description) {
        this.container = container;
        this.description = description;
    }

    /**
     * Connects to the account of the connection string and creates the container when it does not exist.
     *
     * @throws BlobStoreException when the account cannot be reached or refuses the credentials
     */
    static AzureBlobStore open(String connectionString, String containerName) {
        HttpClient http = new JdkHttpClientBuilder().build();
        BlobContainerClient container;
        try {
            container = new BlobServiceClientBuilder()
                    .connectionString(connectionString)
                    .httpClient(http)
                    .buildClient()
                    .getBlobContainerClient(containerName);
            container.createIfNotExists();
        } catch (RuntimeException e) {
            // the connection string carries the account key: name only the endpoint
            throw new BlobStoreException("Cannot open blob container '" + containerName + "' (FLOWBIN_BLOB_URL): "
                    + e.getMessage(), e);
        }
        return new AzureBlobStore(container, "Azure Blob Storage container " + container.getBlobContainerUrl());
    }

    @Override
    public long maxBlockBytes() {
        return MAX_BLOCK_BYTES;
    }

    @Override
    public long stageBlock(String blobName, String blockId, InputStream content) {
        BlockIds.decode(blockId);
        BlockBlobClient client = blockBlob(blobName);
        byte[] bytes = readBlock(content, blobName);
        try {
            client.stageBlock(blockId, BinaryData.fromBytes(bytes));
        } catch (RuntimeException e) {
            throw failure("Staging block " + blockId + " of blob " + blobName, e);
        }
        return bytes.length;
    }

    private static byte[] readBlock(InputStream content, String blobName) {
        ByteArrayOutputStream block = new ByteArrayOutputStream(64 * 1024);
        byte[] buffer = new byte[64 * 1024];
        try {
            int read;
            while ((read = content.read(buffer)) >= 0) {
                if (block.size() + read > MAX_BLOCK_BYTES) {
                    throw new BlobStoreException("A block of blob " + blobName + " is larger than " + MAX_BLOCK_BYTES
                            + " bytes");
                }
                block.write(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Reading a block of blob " + blobName + " failed", e);
        }
        return block.toByteArray();
    }

    @Override
    public List<StagedBlock> stagedBlocks(String blobName) {
        try {
            BlockList list = blockBlob(blobName).listBlocks(BlockListType.UNCOMMITTED);
            List<StagedBlock> blocks = new ArrayList<>();
            for (Block block : list.getUncommittedBlocks()) {
                blocks.add(new StagedBlock(block.getName(), block.getSizeLong()));
            }
            return blocks;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return List.of();
            }
            throw failure("Listing the staged blocks of blob " + blobName, e);
        } catch (RuntimeException e) {
            throw failure("Listing the staged blocks of blob " + blobName, e);
        }
    }

    @Override
    public BlobInfo commit(String blobName, List<String> blockIds, @Nullable String sha256) {
        BlockBlobCommitBlockListOptions options = new BlockBlobCommitBlockListOptions(blockIds);
        if (sha256 != null) {
            options.setMetadata(Map.of(SHA256, sha256));
        }
        try {
            blockBlob(blobName).commitBlockListWithResponse(options, TIMEOUT, Context.NONE);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 400) {
                throw new BlobStoreException("A block of blob " + blobName + " was not staged: " + e.getErrorCode(), e);
            }
            throw failure("Committing blob " + blobName, e);
        } catch (RuntimeException e) {
            throw failure("Committing blob " + blobName, e);
        }
        return info(blobName).orElseThrow(() -> new BlobStoreException("Blob " + blobName + " vanished on commit"));
    }

    @Override
    public void putChecksum(String blobName, String sha256) {
        try {
            blob(blobName).setMetadata(Map.of(SHA256, sha256));
        } catch (RuntimeException e) {
            throw failure("Storing the checksum of blob " + blobName, e);
        }
    }

    @Override
    public Optional<BlobInfo> info(String blobName) {
        try {
            BlobProperties properties = blob(blobName).getProperties();
            Map<String, String> metadata = properties.getMetadata();
            return Optional.of(new BlobInfo(blobName, properties.getBlobSize(),
                    metadata == null ? null : metadata.get(SHA256), properties.getLastModified().toInstant()));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw failure("Reading the properties of blob " + blobName, e);
        } catch (RuntimeException e) {
            throw failure("Reading the properties of blob " + blobName, e);
        }
    }

    @Override
    public void read(String blobName, long offset, long length, OutputStream out) {
        BlobClient client = blob(blobName);
        if (length == 0) {
            return; // a range of zero bytes is not a valid Get Blob range
        }
        CountingOutputStream counted = new CountingOutputStream(out);
        try {
            client.downloadStreamWithResponse(counted, new BlobRange(offset, length), null, null, false, TIMEOUT,
                    Context.NONE);
        } catch (BlobStorageException e) {
            throw failure("Reading blob " + blobName + " from " + offset + " (" + length + " bytes)", e);
        }
        if (counted.count != length) {
            // the service answers a range that overruns the blob with the bytes it has
            throw new BlobStoreException("The range " + offset + "+" + length + " lies beyond the end of blob "
                    + blobName);
        }
    }

    /** Counts what passes through, to tell a short range from a complete one. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    @Override
    public void delete(String blobName) {
        BlockBlobClient blob = blockBlob(blobName);
        try {
            if (!blob.deleteIfExists() && !stagedBlocks(blobName).isEmpty()) {
                // blocks that were never committed cannot be deleted alone: commit none, then delete that blob
                blob.commitBlockList(List.of(), true);
                blob.deleteIfExists();
            }
        } catch (RuntimeException e) {
            throw failure("Deleting blob " + blobName, e);
        }
    }

    @Override
    public List<String> stagedBlobNames() {
        try {
            Set<String> committed = new HashSet<>();
            for (BlobItem item : container.listBlobs()) {
                committed.add(item.getName());
            }
            List<String> staged = new ArrayList<>();
            ListBlobsOptions withUncommitted = new ListBlobsOptions()
                    .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
            for (BlobItem item : container.listBlobs(withUncommitted, TIMEOUT)) {
                if (!committed.contains(item.getName())) {
                    staged.add(item.getName());
                }
            }
            return staged;
        } catch (RuntimeException e) {
            throw failure("Listing staged blobs", e);
        }
    }

    @Override
    public List<String> committedBlobNames(Instant modifiedBefore, int limit) {
        List<String> names = new ArrayList<>();
        try {
            for (BlobItem item : container.listBlobs()) {
                if (names.size() >= limit) {
                    break;
                }
                if (item.getProperties().getLastModified().toInstant().isBefore(modifiedBefore)) {
                    names.add(item.getName());
                }
            }
        } catch (RuntimeException e) {
            throw failure("Listing committed blobs", e);
        }
        return names;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        // the SDK's clients hold no resources that need closing; the JDK HTTP client's threads are daemons
    }

    private BlobClient blob(String blobName) {
        return container.getBlobClient(BlobNames.check(blobName));
    }

    private BlockBlobClient blockBlob(String blobName) {
        return blob(blobName).getBlockBlobClient();
    }

    private static RuntimeException failure(String what, RuntimeException cause) {
        if (cause instanceof BlobStoreException || cause instanceof IllegalArgumentException) {
            return cause;
        }
        String detail = cause instanceof BlobStorageException storage
                ? "status " + storage.getStatusCode() + ", " + storage.getErrorCode()
                : String.valueOf(cause.getMessage());
        return new BlobStoreException(what + " failed: " + detail, cause);
    }
}
