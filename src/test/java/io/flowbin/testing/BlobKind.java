package io.flowbin.testing;

/** The blob stores every file test runs against. */
public enum BlobKind {
    /** The file system store under the data folder (the embedded default). */
    FILE_SYSTEM,
    /** Azure Blob Storage, emulated by {@link Azurite}. */
    AZURE
}
