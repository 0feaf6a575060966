package io.flowbin.blob;

/** A blob store failed: the disk, the storage service or the network, or a block or blob that does not exist. */
public final class BlobStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public BlobStoreException(String message) {
        super(message);
    }
}
