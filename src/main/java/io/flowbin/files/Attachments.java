package io.flowbin.files;

import io.flowbin.blob.BlobStore;
import io.flowbin.data.Database;
import io.flowbin.data.RecordStore;
import io.flowbin.data.RelationshipStore;
import io.flowbin.data.RowSet;
import io.flowbin.data.StoredRow;
import io.flowbin.data.Transaction;
import io.flowbin.data.TransactionCallback;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of stored files: the {@code fileattachment} row of each file and the owning row's file column
 * and name column, changed together in one transaction. Blobs of replaced or deleted files are deleted only after
 * that transaction has committed. Thread-safe.
 */
final class Attachments {
    static final String TABLE = "fileattachment";
    private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);
    private static final String VERSION = "versionnumber";
    private static final int MAX_ATTEMPTS = 10;

    private final Catalog catalog;
    private final Database database;
    private final RecordStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final TableDefinition attachments;
    private final List<ColumnDefinition> attachmentColumns;
    private final RelationshipStore relationships;

    /** A stored file and the file column that holds it. */
    record Owned(StoredFile file, @Nullable FileTarget owner) {}

    Attachments(Catalog catalog, Database database, RecordStore store, BlobStore blobs, Clock clock) {
        this.relationships = new RelationshipStore(catalog, database.dialect());
        TableDefinition table = catalog.table(TABLE);
        if (table == null) {
            throw new IllegalStateException("File columns need the '" + TABLE + "' table in the definitions");
        }
        this.catalog = catalog;
        this.database = database;
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.attachments = table;
        this.attachmentColumns = catalog.storedColumns(table);
    }

    TableDefinition table() {
        return attachments;
    }

    void requireRow(FileTarget target) {
        boolean exists = database.inTransaction(tx -> store.exists(tx, target.table(), target.rowId()));
        if (!exists) {
            throw ErrorCodes.rowNotFound(target.table().logicalName(), target.rowId());
        }
    }

    /**
     * Makes the committed blob the column's file: inserts its fileattachment row and points the column at it; the
     * previous file's row goes in the same transaction and its blob after the commit.
     *
     * @param alsoInTransaction more work that must commit with the file or not at all (the upload's record)
     */
    StoredFile attach(FileTarget target, StoredFile file, TransactionCallback<?> alsoInTransaction) {
        database.inTransaction(tx -> {
            alsoInTransaction.inTransaction(tx);
            store.insert(tx, attachments, attachmentValues(target, file));
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                StoredRow row = readFileColumn(tx, target);
                Map<String, @Nullable Object> values = new LinkedHashMap<>();
                values.put(target.column().logicalName(), file.id());
                if (target.table().column(target.nameColumn()) != null) {
                    values.put(target.nameColumn(), file.fileName());
                }
                if (store.update(tx, target.table(), target.rowId(), values, versionOf(row)) >= 0) {
                    removeAttachment(tx, (UUID) row.value(target.column().logicalName()));
                    return null;
                }
            }
            throw new DataverseException(409, ErrorCodes.CONCURRENCY_VERSION_MISMATCH, "The row "
                    + target.rowId() + " changed " + MAX_ATTEMPTS + " times while its file was being stored.");
        });
        return file;
    }

    /** The column's current file, or null when it holds none. */
    @Nullable StoredFile current(FileTarget target) {
        return database.inTransaction(tx -> {
            UUID id = (UUID) readFileColumn(tx, target).value(target.column().logicalName());
            return id == null ? null : attachment(tx, id);
        });
    }

    /** The file with this id and the column that holds it, or null. */
    @Nullable Owned byId(UUID fileId) {
        return database.inTransaction(tx -> {
            StoredRow row = store.select(tx, attachments, fileId, attachmentColumns, false);
            if (row == null) {
                return null;
            }
            return new Owned(toFile(row), ownerOf(row));
        });
    }

    /** Empties the column: its file's row goes now, its blob after the commit. Returns whether it held a file. */
    boolean detach(FileTarget target) {
        return database.inTransaction(tx -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                StoredRow row = readFileColumn(tx, target);
                UUID current = (UUID) row.value(target.column().logicalName());
                if (current == null) {
                    return false;
                }
                Map<String, @Nullable Object> values = new LinkedHashMap<>();
                values.put(target.column().logicalName(), null);
                if (target.table().column(target.nameColumn()) != null) {
                    values.put(target.nameColumn(), null);
                }
                if (store.update(tx, target.table(), target.rowId(), values, versionOf(row)) >= 0) {
                    removeAttachment(tx, current);
                    return true;
                }
            }
            throw new DataverseException(409, ErrorCodes.CONCURRENCY_VERSION_MISMATCH, "The row "
                    + target.rowId() + " changed " + MAX_ATTEMPTS + " times while its file was being deleted.");
        });
    }

    /** Deletes a file that no column holds (any more): its row now, its blob after the commit. */
    void deleteUnowned(UUID fileId) {
        database.inTransaction(tx -> {
            removeAttachment(tx, fileId);
            return null;
        });
    }

    /** In the caller's transaction: removes the files of every file column of a row that is being deleted. */
    void removeAll(Transaction tx, TableDefinition table, UUID rowId) {
        List<ColumnDefinition> fileColumns = new ArrayList<>();
        for (ColumnDefinition column : catalog.storedColumns(table)) {
            if (column.type() == AttributeType.FILE) {
                fileColumns.add(column);
            }
        }
        if (fileColumns.isEmpty()) {
            return;
        }
        StoredRow row = store.select(tx, table, rowId, fileColumns, false);
        if (row == null) {
            return;
        }
        for (ColumnDefinition column : fileColumns) {
            removeAttachment(tx, (UUID) row.value(column.logicalName()));
        }
    }

    /** The same for every row of a set: one query per file column finds the files to remove. */
    void removeAll(Transaction tx, RowSet rows) {
        for (ColumnDefinition column : catalog.storedColumns(rows.table())) {
            if (column.type() == AttributeType.FILE) {
                for (UUID fileId : relationships.referencedIds(tx, rows, column.logicalName())) {
                    removeAttachment(tx, fileId);
                }
            }
        }
    }

    /** Whether a committed fileattachment row names this blob (blobs are named after their file's id). */
    boolean isReferenced(String blobName) {
        UUID id;
        try {
            id = UUID.fromString(blobName);
        } catch (IllegalArgumentException notAFile) {
            return false;
        }
        return database.inTransaction(tx -> store.exists(tx, attachments, id));
    }

    private void removeAttachment(Transaction tx, @Nullable UUID fileId) {
        if (fileId == null) {
            return;
        }
        StoredFile file = attachment(tx, fileId);
        store.delete(tx, attachments, fileId, null);
        String blobName = file == null ? fileId.toString() : file.blobName();
        tx.afterCommit(() -> deleteBlob(blobName));
    }

    private void deleteBlob(String blobName) {
        try {
            blobs.delete(blobName);
        } catch (RuntimeException failure) {
            // the orphan sweep retries it later
            LOG.warn("Deleting blob {} of a removed file failed", blobName, failure);
        }
    }

    private StoredRow readFileColumn(Transaction tx, FileTarget target) {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(target.column());
        ColumnDefinition version = target.table().column(VERSION);
        if (version != null) {
            columns.add(version);
        }
        StoredRow row = store.select(tx, target.table(), target.rowId(), columns, false);
        if (row == null) {
            throw ErrorCodes.rowNotFound(target.table().logicalName(), target.rowId());
        }
        return row;
    }

    private static @Nullable Long versionOf(StoredRow row) {
        long version = row.version();
        return version < 0 ? null : version;
    }

    private @Nullable StoredFile attachment(Transaction tx, UUID fileId) {
        StoredRow row = store.select(tx, attachments, fileId, attachmentColumns, false);
        return row == null ? null : toFile(row);
    }

    private @Nullable FileTarget ownerOf(StoredRow row) {
        Object table = row.value("objecttypecode");
        Object rowId = row.value("objectid");
        Object column = row.value("regardingfieldname");
        TableDefinition owner = table instanceof String name ? catalog.table(name) : null;
        ColumnDefinition fileColumn = owner != null && column instanceof String name ? owner.column(name) : null;
        if (owner == null || fileColumn == null || !(rowId instanceof UUID id)) {
            return null;
        }
        return new FileTarget(owner, id, fileColumn);
    }

    private static StoredFile toFile(StoredRow row) {
        UUID id = (UUID) row.value("fileattachmentid");
        Object pointer = row.value("filepointer");
        Object size = row.value("filesizeinbytes");
        Object name = row.value("filename");
        Object mime = row.value("mimetype");
        return new StoredFile(
                id,
                name == null ? "" : name.toString(),
                size instanceof Long bytes ? bytes : 0L,
                mime == null ? FileNames.OCTET_STREAM : mime.toString(),
                pointer == null ? String.valueOf(id) : pointer.toString());
    }

    private Map<String, @Nullable Object> attachmentValues(FileTarget target, StoredFile file) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        putIfColumn(values, "fileattachmentid", file.id());
        putIfColumn(values, "filename", file.fileName());
        putIfColumn(values, "filesizeinbytes", file.size());
        putIfColumn(values, "mimetype", file.mimeType());
        putIfColumn(values, "objectid", target.rowId());
        putIfColumn(values, "objectidtypecode", target.table().logicalName());
        putIfColumn(values, "objecttypecode", target.table().logicalName());
        putIfColumn(values, "regardingfieldname", target.column().logicalName());
        putIfColumn(values, "createdon",
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
        putIfColumn(values, "iscommitted", true);
        putIfColumn(values, "filepointer", file.blobName());
        return values;
    }

    private void putIfColumn(Map<String, @Nullable Object> values, String column, Object value) {
        if (attachments.column(column) != null) {
            values.put(column, value);
        }
    }
}
