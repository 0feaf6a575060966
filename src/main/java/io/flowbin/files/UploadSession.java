package io.flowbin.files;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One upload in progress as a request sees it: its target, the blob it stages into, and what has arrived so far, as
 * read from {@link UploadSessions} when the request took it. Mutable; used by the one request that holds it, which
 * saves its changes back or removes it.
 */
final class UploadSession {
    enum Kind {
        /** The Web API's chunked PATCHes with {@code Content-Range}, in order. */
        CHUNKED,
        /** The UploadBlock messages, in any order, joined by CommitFileBlocksUpload. */
        BLOCKS,
        /** A whole file in one request; recorded only so that no node removes its staged blocks meanwhile. */
        SINGLE
    }

    final String token;
    final Kind kind;
    final FileTarget target;
    final UUID userId;
    /** The id of the file (and its fileattachment row) once committed, and the name of its blob. */
    final UUID fileId;
    final String fileName;
    /** The version read (then saved); a save succeeds only while the stored session still has it. */
    long version;
    Instant lastUsed;
    /** CHUNKED: the total the first chunk stated, or -1. */
    long total;
    /** CHUNKED: bytes received, the offset the next chunk must start at. BLOCKS: bytes in the staged blocks. */
    long received;
    /** BLOCKS: the length of the first block id, which all others must share; 0 before the first block. */
    int blockIdLength;
    /**
     * The SHA-256 of the bytes in arrival order, or null when this node did not see every one of them in order (or
     * arrival order no longer is file order): then the checksum is computed from the committed blob.
     */
    @Nullable MessageDigest digest;
    /** Set once a chunked upload has completed: the file it stored. */
    @Nullable StoredFile completed;

    UploadSession(String token, Kind kind, FileTarget target, UUID userId, UUID fileId, String fileName, long version,
            Instant lastUsed) {
        this.token = token;
        this.kind = kind;
        this.target = target;
        this.userId = userId;
        this.fileId = fileId;
        this.fileName = fileName;
        this.version = version;
        this.lastUsed = lastUsed;
        this.total = -1;
    }

    String blobName() {
        return fileId.toString();
    }
}
