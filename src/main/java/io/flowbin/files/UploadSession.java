package io.flowbin.files;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One upload in progress: its target, the blob it stages into, and what has arrived so far. Mutable; every field
 * after construction is read and written only while holding {@link #lock()}.
 */
final class UploadSession {
    enum Kind {
        /** The Web API's chunked PATCHes with {@code Content-Range}, in order. */
        CHUNKED,
        /** The UploadBlock messages, in any order, joined by CommitFileBlocksUpload. */
        BLOCKS
    }

    private final ReentrantLock lock = new ReentrantLock();
    final String token;
    final Kind kind;
    final FileTarget target;
    final UUID userId;
    /** The id of the file (and its fileattachment row) once committed, and the name of its blob. */
    final UUID fileId;
    final String fileName;
    Instant lastUsed;
    /** CHUNKED: the total the first chunk stated, or -1. */
    long total = -1;
    /** CHUNKED: bytes received, which is the offset the next chunk must start at. */
    long received;
    /** The SHA-256 of the bytes in arrival order, or null once arrival order no longer is file order. */
    @Nullable MessageDigest digest;
    /** Staged block ids in arrival order, with their sizes. */
    final Map<String, Long> blocks = new LinkedHashMap<>();
    /** Set once the upload has completed: the file it stored. */
    @Nullable StoredFile completed;

    UploadSession(String token, Kind kind, FileTarget target, UUID userId, String fileName, Instant now) {
        this.token = token;
        this.kind = kind;
        this.target = target;
        this.userId = userId;
        this.fileId = UUID.randomUUID();
        this.fileName = fileName;
        this.lastUsed = now;
        this.digest = Checksums.sha256();
    }

    ReentrantLock lock() {
        return lock;
    }

    String blobName() {
        return fileId.toString();
    }

    long stagedBytes() {
        long sum = 0;
        for (long size : blocks.values()) {
            sum += size;
        }
        return sum;
    }

    List<String> blockIds() {
        return new ArrayList<>(blocks.keySet());
    }
}
