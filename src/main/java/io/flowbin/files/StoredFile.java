package io.flowbin.files;

import java.util.UUID;

/**
 * A complete stored file, as its {@code fileattachment} row describes it.
 *
 * @param id the {@code fileattachmentid}, which is also the value of the owning file column
 * @param blobName where the bytes are in the blob store
 */
public record StoredFile(UUID id, String fileName, long size, String mimeType, String blobName) {}
