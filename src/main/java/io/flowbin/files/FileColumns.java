package io.flowbin.files;

import io.flowbin.blob.BlobStore;
import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.data.RowSet;
import io.flowbin.data.Transaction;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * File columns of any table (every column of type File, limited by its {@code MaxSizeInKB}): uploads in one request,
 * in chunks or in blocks, ranged reads, deletion, and the row deletion hook. Bytes go to the blob store first and
 * become the column's file in one database transaction afterwards, so a file is visible only once complete and a
 * new one replaces the old at once. Request bodies are streamed block by block; nothing holds a whole file in memory.
 * Thread-safe.
 *
 * <p>Design note: uploads in progress are recorded in the database by {@link UploadSessions}, so that any node can
 * take an upload's next request and an upload outlives a restart; the staged blocks of expired uploads, and of none,
 * are removed by {@link FileCleanup}.
 */
public final class FileColumns implements RowFiles, AutoCloseable {
    /** {@code MaxSizeInKB} of a File column whose definition does not state it (Dataverse's default). */
    public static final int DEFAULT_MAX_SIZE_KB = 32768;
    /** The chunk size recommended to chunked uploads ({@code x-ms-chunk-size}) and the largest chunk taken. */
    public static final int CHUNK_SIZE = 4 * 1024 * 1024;
    /** The largest block of UploadBlock, decoded. */
    public static final int MAX_BLOCK_BYTES = 4 * 1024 * 1024;
    /** How long an upload session lives without activity. */
    public static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(15);
    static final int MAX_SESSIONS = 1000;
    private static final int MAX_MIME_TYPE_LENGTH = 256;
    /** The user of the record of an upload in one request, which nothing looks up by user. */
    private static final UUID NO_USER = new UUID(0, 0);

    private final Catalog catalog;
    private final BlobStore blobs;
    private final Attachments attachments;
    private final UploadSessions sessions;
    private final FileCleanup cleanup;

    public FileColumns(Catalog catalog, Database database, RecordStore store, BlobStore blobs, Clock clock) {
        this(catalog, database, store, blobs, clock, SESSION_IDLE_TIMEOUT);
    }

    /** @param idleTimeout how long an upload in progress lives without a request */
    public FileColumns(Catalog catalog, Database database, RecordStore store, BlobStore blobs, Clock clock,
            Duration idleTimeout) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.attachments = new Attachments(catalog, database, store, blobs, clock);
        this.sessions = new UploadSessions(database, catalog, clock, idleTimeout, MAX_SESSIONS);
        this.cleanup = new FileCleanup(blobs, attachments, sessions, clock, idleTimeout);
    }

    /** An upload in chunks that has started: its token and the chunk size to use. */
    public record ChunkedUpload(String token, int chunkSize) {}

    /**
     * Removes what uploads of an earlier run left staged, then cleans up in the background: expired sessions'
     * blocks, and blobs no file refers to.
     */
    public void start() {
        cleanup.start();
    }

    @Override
    public void close() {
        cleanup.close();
    }

    /**
     * The file column of a row.
     *
     * @throws DataverseException 400 when the table has no such column or it is not a File column
     */
    public FileTarget target(TableDefinition table, UUID rowId, String columnName) {
        ColumnDefinition column = table.column(columnName);
        if (column == null) {
            throw FileErrors.invalid("The table '" + table.logicalName() + "' has no column '" + columnName + "'.");
        }
        if (!isFileColumn(column)) {
            throw FileErrors.invalid("The column '" + columnName + "' of '" + table.logicalName() + "' is of type "
                    + column.type().pageName() + ", not File.");
        }
        return new FileTarget(table, rowId, column);
    }

    public static boolean isFileColumn(ColumnDefinition column) {
        return column.type() == AttributeType.FILE;
    }

    /** The table, when loaded, by logical name (for the SDK messages, which name the row's table). */
    public @Nullable TableDefinition table(String logicalName) {
        return catalog.table(logicalName);
    }

    /**
     * Stores the whole body as the column's file, replacing the previous one once complete.
     *
     * @throws DataverseException 400 {@link FileErrors#FILE_SIZE_TOO_BIG} as soon as the body exceeds the column's
     *     limit (nothing is kept and the previous file stays), 400 for a bad file name, 404 when the row is missing
     */
    public StoredFile upload(FileTarget target, @Nullable String fileName, InputStream body) {
        String name = FileNames.check(fileName, target, attachments.table());
        attachments.requireRow(target);
        // recorded so that no node's cleanup takes the blocks staged meanwhile for those of a dead upload
        UploadSession session = sessions.open(UploadSession.Kind.SINGLE, target, NO_USER, name);
        String blobName = session.blobName();
        MessageDigest digest = Checksums.sha256();
        UploadBody content = new UploadBody(body, target.maxBytes(), FileErrors::tooLarge, digest);
        try {
            List<String> blockIds = new ArrayList<>();
            long offset = 0;
            while (true) {
                String blockId = offsetBlockId(offset);
                long staged = blobs.stageBlock(blobName, blockId, content.slice(blobs.maxBlockBytes()));
                if (staged > 0 || blockIds.isEmpty()) {
                    blockIds.add(blockId);
                }
                offset += staged;
                if (content.sourceEnded()) {
                    break;
                }
            }
            content.finishDigest();
            blobs.commit(blobName, blockIds, Checksums.hex(digest));
            return attachments.attach(target, new StoredFile(session.fileId, name, offset, FileNames.mimeType(name),
                    blobName), tx -> {
                        sessions.removeIn(tx, session.token);
                        return null;
                    });
        } catch (RuntimeException failure) {
            finishQuietly(content, failure);
            end(session, failure);
            throw failure;
        }
    }

    /** Starts an upload in chunks; the file name given now is the one stored. */
    public ChunkedUpload startChunked(FileTarget target, @Nullable String fileName, UUID userId) {
        String name = FileNames.check(fileName, target, attachments.table());
        attachments.requireRow(target);
        return new ChunkedUpload(sessions.open(UploadSession.Kind.CHUNKED, target, userId, name).token, CHUNK_SIZE);
    }

    /**
     * Stores one chunk of a chunked upload. Chunks come in order, each starting where the previous ended; the chunk
     * that brings the last byte completes the file. A zero-length chunk at the end of a completed upload, as some
     * clients send, is answered as completed again.
     *
     * @return the stored file when this chunk completed it, else null
     */
    public @Nullable StoredFile uploadChunk(FileTarget target, @Nullable String token, @Nullable String contentRange,
            @Nullable Long contentLength, InputStream body, UUID userId) {
        UploadSession session = sessions.acquire(token, userId, UploadSession.Kind.CHUNKED);
        try {
            if (!sameTarget(session.target, target)) {
                throw FileErrors.unknownSession();
            }
            ContentRange range = ContentRange.parse(contentRange);
            StoredFile completed = session.completed;
            if (completed != null) {
                if (range.length() == 0 && range.first() == session.total && range.total() == session.total) {
                    return completed;
                }
                throw FileErrors.invalid("The upload is already complete; the chunk " + contentRange
                        + " overlaps it.");
            }
            checkChunk(session, range, contentLength);
            String blockId = null;
            long staged = 0;
            if (range.length() > 0) {
                blockId = offsetBlockId(range.first());
                staged = stageChunk(session, blockId, range, body);
            }
            // also claims the completion: the same last chunk sent to two nodes at once completes the file once
            sessions.save(session, blockId, staged);
            if (session.received < session.total) {
                return null;
            }
            MessageDigest digest = session.digest;
            return complete(session, List.copyOf(sessions.blocks(session).keySet()), session.fileName,
                    FileNames.mimeType(session.fileName), digest == null ? null : Checksums.hex(Checksums.copy(digest)));
        } finally {
            sessions.release(session);
        }
    }

    private void checkChunk(UploadSession session, ContentRange range, @Nullable Long contentLength) {
        if (session.total < 0) {
            if (range.total() > session.target.maxBytes()) {
                sessions.remove(session);
                throw FileErrors.tooLarge();
            }
            session.total = range.total();
        } else if (range.total() != session.total) {
            throw FileErrors.invalid("The Content-Range total " + range.total() + " differs from the "
                    + session.total + " bytes the upload started with.");
        }
        if (range.first() < session.received) {
            throw FileErrors.invalid("The chunk starting at byte " + range.first() + " overlaps the "
                    + session.received + " bytes already received.");
        }
        if (range.first() > session.received) {
            throw FileErrors.invalid("The chunk starting at byte " + range.first() + " skips bytes: the next chunk"
                    + " must start at byte " + session.received + ".");
        }
        if (range.length() > CHUNK_SIZE) {
            throw FileErrors.invalid("The chunk of " + range.length() + " bytes is larger than the chunk size of "
                    + CHUNK_SIZE + " bytes.");
        }
        if (contentLength != null && contentLength != range.length()) {
            throw FileErrors.invalid("The body has " + contentLength + " bytes but the Content-Range names "
                    + range.length() + ".");
        }
    }

    /** Stages the chunk's bytes as one block and counts them in; returns the bytes staged. */
    private long stageChunk(UploadSession session, String blockId, ContentRange range, InputStream body) {
        MessageDigest previous = session.digest;
        MessageDigest attempt = previous == null ? null : Checksums.copy(previous);
        // the Content-Range was checked against the column's limit; the slice ends the chunk at its stated length
        UploadBody content = new UploadBody(body, Long.MAX_VALUE, FileErrors::tooLarge, attempt);
        long staged;
        try {
            staged = blobs.stageBlock(session.blobName(), blockId, content.slice(range.length()));
        } catch (RuntimeException failure) {
            finishQuietly(content, failure);
            throw failure;
        }
        content.finishDigest();
        if (staged != range.length()) {
            throw FileErrors.invalid("The body has " + staged + " bytes but the Content-Range names "
                    + range.length() + ".");
        }
        session.digest = attempt;
        session.received += staged;
        return staged;
    }

    /** Starts an upload in blocks (InitializeFileBlocksUpload); returns its continuation token. */
    public String initializeBlocks(FileTarget target, @Nullable String fileName, UUID userId) {
        String name = FileNames.check(fileName, target, attachments.table());
        attachments.requireRow(target);
        return sessions.open(UploadSession.Kind.BLOCKS, target, userId, name).token;
    }

    /**
     * Stages one block (UploadBlock). Block ids are base64, at most 64 bytes decoded, all of one length; a block is
     * at most {@value #MAX_BLOCK_BYTES} bytes, and all blocks together at most the column's limit.
     */
    public void uploadBlock(@Nullable String token, @Nullable String blockId, InputStream data, UUID userId) {
        UploadSession session = sessions.acquire(token, userId, UploadSession.Kind.BLOCKS);
        try {
            String id = checkBlockId(session, blockId);
            Long previous = sessions.blockSize(session, id);
            long remaining = session.target.maxBytes() - session.received + (previous == null ? 0 : previous);
            MessageDigest attempt = previous == null && session.digest != null ? Checksums.copy(session.digest) : null;
            UploadBody content = remaining < MAX_BLOCK_BYTES
                    ? new UploadBody(data, remaining, FileErrors::tooLarge, attempt)
                    : new UploadBody(data, MAX_BLOCK_BYTES, () -> FileErrors.invalid(
                            "The block is larger than " + MAX_BLOCK_BYTES + " bytes."), attempt);
            long staged;
            try {
                staged = blobs.stageBlock(session.blobName(), id, content);
            } catch (RuntimeException failure) {
                finishQuietly(content, failure);
                throw failure;
            }
            content.finishDigest();
            // staged again: arrival order no longer says anything about file order
            session.digest = attempt;
            session.received += staged - (previous == null ? 0 : previous);
            session.blockIdLength = id.length();
            sessions.save(session, id, staged);
        } finally {
            sessions.release(session);
        }
    }

    private static String checkBlockId(UploadSession session, @Nullable String blockId) {
        if (blockId == null || blockId.isEmpty()) {
            throw FileErrors.invalid("BlockId is required.");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(blockId);
        } catch (IllegalArgumentException notBase64) {
            throw FileErrors.invalid("The BlockId '" + blockId + "' is not base64.");
        }
        if (decoded.length == 0 || decoded.length > 64) {
            throw FileErrors.invalid("The BlockId '" + blockId + "' decodes to " + decoded.length
                    + " bytes; at most 64 are allowed.");
        }
        if (session.blockIdLength != 0 && session.blockIdLength != blockId.length()) {
            throw FileErrors.invalid("All block ids of one file must have the same length; '" + blockId
                    + "' has " + blockId.length() + " characters, the first one had " + session.blockIdLength + ".");
        }
        return blockId;
    }

    /**
     * Joins the uploaded blocks in this order into the column's file (CommitFileBlocksUpload).
     *
     * @param mimeType kept as given; blank derives it from the file name
     */
    public StoredFile commitBlocks(@Nullable String token, @Nullable String fileName, @Nullable String mimeType,
            List<String> blockIds, UUID userId) {
        UploadSession session = sessions.acquire(token, userId, UploadSession.Kind.BLOCKS);
        try {
            String name = fileName == null || fileName.isBlank() ? session.fileName
                    : FileNames.check(fileName, session.target, attachments.table());
            Map<String, Long> staged = sessions.blocks(session);
            long size = 0;
            for (String blockId : blockIds) {
                Long blockSize = staged.get(blockId);
                if (blockSize == null) {
                    throw FileErrors.invalid("The block '" + blockId + "' was not uploaded in this upload.");
                }
                size += blockSize;
            }
            if (size > session.target.maxBytes()) {
                throw FileErrors.tooLarge();
            }
            String mime = mimeType == null || mimeType.isBlank() ? FileNames.mimeType(name) : mimeType;
            if (mime.length() > MAX_MIME_TYPE_LENGTH) {
                throw FileErrors.invalid("The MimeType is longer than " + MAX_MIME_TYPE_LENGTH + " characters.");
            }
            MessageDigest digest = session.digest;
            String sha256 = digest != null && blockIds.equals(List.copyOf(staged.keySet()))
                    ? Checksums.hex(Checksums.copy(digest))
                    : null;
            // claims the commit: of two commits of one upload on two nodes, the second fails here, before it
            // touches the blob the first one is making a file
            sessions.save(session, null, 0);
            return complete(session, blockIds, name, mime, sha256);
        } finally {
            sessions.release(session);
        }
    }

    /**
     * Commits the session's blob and makes it the column's file; in the same transaction a chunked upload's session
     * is marked completed and any other ends. The checksum is computed from the committed blob when the blocks did
     * not arrive in file order on this node. On failure the blob is deleted and the session ends.
     */
    private StoredFile complete(UploadSession session, List<String> blockIds, String name, String mime,
            @Nullable String sha256) {
        String blobName = session.blobName();
        try {
            long size = blobs.commit(blobName, blockIds, sha256).size();
            if (sha256 == null) {
                MessageDigest digest = Checksums.sha256();
                blobs.read(blobName, 0, size, Checksums.into(digest));
                blobs.putChecksum(blobName, Checksums.hex(digest));
            }
            StoredFile file = new StoredFile(session.fileId, name, size, mime, blobName);
            return attachments.attach(session.target, file, tx -> {
                if (session.kind == UploadSession.Kind.CHUNKED) {
                    session.completed = file;
                    sessions.saveIn(tx, session, null, 0);
                } else {
                    sessions.removeIn(tx, session.token);
                }
                return null;
            });
        } catch (RuntimeException failure) {
            session.completed = null;
            end(session, failure);
            throw failure;
        }
    }

    /** Ends a failed upload: its record and its blob. */
    private void end(UploadSession session, RuntimeException failure) {
        try {
            sessions.remove(session);
        } catch (RuntimeException removeFailure) {
            failure.addSuppressed(removeFailure); // it expires
        }
        discard(session.blobName(), failure);
    }
    /**
     * The column's file.
     *
     * @throws DataverseException 404 when the row does not exist or its column holds no file
     */
    public StoredFile file(FileTarget target) {
        StoredFile file = attachments.current(target);
        if (file == null) {
            throw FileErrors.noFile(target);
        }
        return file;
    }

    /**
     * The column's file, or empty when it holds none.
     *
     * @throws DataverseException 404 when the row does not exist
     */
    public Optional<StoredFile> current(FileTarget target) {
        return Optional.ofNullable(attachments.current(target));
    }

    /**
     * The file with this id (the value of its column, {@code FileId}).
     *
     * @throws DataverseException 404 when there is none
     */
    public StoredFile file(UUID fileId) {
        Attachments.Owned owned = attachments.byId(fileId);
        if (owned == null) {
            throw ErrorCodes.rowNotFound(Attachments.TABLE, fileId);
        }
        return owned.file();
    }

    /** The SHA-256 stored with the file's bytes (lower-case hex), when there is one. */
    public Optional<String> checksum(StoredFile file) {
        return blobs.info(file.blobName()).map(BlobStore.BlobInfo::sha256);
    }

    /** Copies a range of the file's bytes to the stream without holding them in memory. */
    public void read(StoredFile file, long offset, long length, OutputStream out) {
        blobs.read(file.blobName(), offset, length, out);
    }

    /**
     * Empties the column (DELETE of the column); returns whether it held a file.
     *
     * @throws DataverseException 404 when the row does not exist
     */
    public boolean delete(FileTarget target) {
        return attachments.detach(target);
    }

    /**
     * Deletes the file with this id (DeleteFile), emptying the column that holds it.
     *
     * @throws DataverseException 404 when there is no such file
     */
    public void deleteFile(UUID fileId) {
        Attachments.Owned owned = attachments.byId(fileId);
        if (owned == null) {
            throw ErrorCodes.rowNotFound(Attachments.TABLE, fileId);
        }
        FileTarget owner = owned.owner();
        StoredFile current = owner == null ? null : attachments.current(owner);
        if (owner != null && current != null && current.id().equals(fileId)) {
            attachments.detach(owner);
        } else {
            attachments.deleteUnowned(fileId);
        }
    }

    @Override
    public void removeAll(Transaction tx, TableDefinition table, UUID rowId) {
        attachments.removeAll(tx, table, rowId);
    }

    @Override
    public void removeAll(Transaction tx, RowSet rows) {
        attachments.removeAll(tx, rows);
    }

    /** How many uploads are in progress (for tests and monitoring). */
    public int uploadsInProgress() {
        return sessions.size();
    }

    /** Runs the cleanup now: expired uploads, then blobs no file refers to (for tests). */
    void cleanUpNow() {
        cleanup.run();
        cleanup.sweepOrphans();
    }

    private static void finishQuietly(UploadBody content, RuntimeException failure) {
        try {
            content.finishDigest();
        } catch (RuntimeException digestFailure) {
            failure.addSuppressed(digestFailure);
        }
    }

    private void discard(String blobName, RuntimeException failure) {
        try {
            blobs.delete(blobName);
        } catch (RuntimeException deleteFailure) {
            failure.addSuppressed(deleteFailure); // the cleanup removes it later
        }
    }

    private static boolean sameTarget(FileTarget first, FileTarget second) {
        return first.rowId().equals(second.rowId())
                && first.table().logicalName().equals(second.table().logicalName())
                && first.column().logicalName().equals(second.column().logicalName());
    }

    /** Block ids for uploads the server splits itself: the block's offset, fixed width, so ids have one length. */
    static String offsetBlockId(long offset) {
        return Base64.getEncoder().encodeToString(String.format("%020d", offset).getBytes(StandardCharsets.US_ASCII));
    }
}
