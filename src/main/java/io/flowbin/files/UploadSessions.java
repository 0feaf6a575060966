package io.flowbin.files;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowbin.data.Database;
import io.flowbin.data.RowIds;
import io.flowbin.data.Transaction;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The uploads in progress, by their opaque token, kept in the database ({@code flowbin_uploadsession} and the staged
 * blocks of multi-request uploads in {@code flowbin_uploadblock}) so that any node sharing the database and the blob
 * store can take an upload's next request, and an upload outlives a restart. Bounded in number, bound to the user
 * who started them, and expired after a period without activity. Thread-safe.
 *
 * <p>Requests on one session are serialised on this node by a lock (the blob store must not write one blob
 * concurrently); across nodes every change is saved only if the session is still at the version the request read,
 * so of two requests racing on one session one fails and changes nothing. The running SHA-256 of an upload cannot
 * be stored, so each node keeps it in memory for the sessions it served last: a request that finds the session at
 * another version than its digest (another node served the previous request) goes on without one, and the checksum
 * is then computed from the committed blob.
 */
final class UploadSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a completed chunked upload still answers the zero-length final chunk some clients send. */
    static final Duration COMPLETED_GRACE = Duration.ofMinutes(2);
    private static final String COLUMNS = "token, kind, tablename, rowid, columnname, userid, fileid, filename, "
            + "total, received, blockidlength, completedsize, completedmime, version, lastused";

    private final Database database;
    private final Catalog catalog;
    private final Clock clock;
    private final Duration idleTimeout;
    private final int limit;
    /** The lock of each session a request on this node holds or waits for; removed when none does. */
    private final ConcurrentHashMap<String, SessionLock> locks = new ConcurrentHashMap<>();
    /** The digests of the sessions this node served last, by token; at most {@code limit}, least used dropped. */
    private final Cache<String, CachedDigest> digests;

    private record CachedDigest(long version, MessageDigest digest) {}

    /** A session's lock and how many requests hold or wait for it (changed only inside the map's compute). */
    private static final class SessionLock {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    /** A session removed because it expired: its blob's staged blocks are to be deleted unless it completed. */
    record Expired(String blobName, boolean completed) {}

    UploadSessions(Database database, Catalog catalog, Clock clock, Duration idleTimeout, int limit) {
        this.database = database;
        this.catalog = catalog;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.limit = limit;
        this.digests = Caffeine.newBuilder().maximumSize(limit).build();
    }

    /**
     * Records a new upload; its digest starts on this node.
     *
     * @throws io.flowbin.error.DataverseException 429 when {@code limit} uploads are in progress
     */
    UploadSession open(UploadSession.Kind kind, FileTarget target, UUID userId, String fileName) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        UploadSession session = new UploadSession(token, kind, target, userId, RowIds.next(), fileName, 0,
                clock.instant());
        database.inTransaction(tx -> {
            if (kind != UploadSession.Kind.SINGLE && count(tx.connection()) >= limit) {
                throw FileErrors.tooManySessions(limit);
            }
            try (PreparedStatement insert = tx.connection().prepareStatement("INSERT INTO flowbin_uploadsession ("
                    + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, token);
                insert.setString(2, kind.name());
                insert.setString(3, target.table().logicalName());
                insert.setObject(4, target.rowId());
                insert.setString(5, target.column().logicalName());
                insert.setObject(6, userId);
                insert.setObject(7, session.fileId);
                insert.setString(8, fileName);
                insert.setLong(9, session.total);
                insert.setLong(10, 0);
                insert.setInt(11, 0);
                insert.setNull(12, Types.BIGINT);
                insert.setNull(13, Types.VARCHAR);
                insert.setLong(14, 0);
                insert.setObject(15, utc(session.lastUsed));
                insert.executeUpdate();
            }
            return null;
        });
        if (kind != UploadSession.Kind.SINGLE) {
            session.digest = Checksums.sha256();
            digests.put(session.token, new CachedDigest(0, session.digest));
        }
        return session;
    }

    /**
     * The live session with this token, started by this user, locked on this node; the caller passes it to
     * {@link #release} when done. Unknown, expired and other users' tokens are all "unknown", so that a token reveals
     * nothing.
     *
     * @throws io.flowbin.error.DataverseException 404 for an unknown session
     */
    UploadSession acquire(@Nullable String token, UUID userId, UploadSession.Kind kind) {
        if (token == null || token.isEmpty() || token.length() > 64) {
            throw FileErrors.unknownSession();
        }
        lock(token);
        try {
            UploadSession session = database.read(tx -> read(tx.connection(), token));
            if (session == null || !session.userId.equals(userId) || session.kind != kind
                    || isExpired(session.lastUsed, session.completed != null, clock.instant())) {
                throw FileErrors.unknownSession();
            }
            CachedDigest cached = digests.getIfPresent(token);
            session.digest = cached != null && cached.version() == session.version ? cached.digest() : null;
            session.lastUsed = clock.instant();
            return session;
        } catch (RuntimeException failure) {
            unlock(token);
            throw failure;
        }
    }

    /** Unlocks a session taken by {@link #acquire}. */
    void release(UploadSession session) {
        unlock(session.token);
    }

    /**
     * Saves what a request changed, with the block it staged (or staged again), if any.
     *
     * @throws io.flowbin.error.DataverseException 409 when another request changed the session meanwhile
     */
    void save(UploadSession session, @Nullable String blockId, long blockSize) {
        database.inTransaction(tx -> {
            saveIn(tx, session, blockId, blockSize);
            return null;
        });
    }

    /** As {@link #save}, inside the caller's transaction; the remembered digest follows once it commits. */
    void saveIn(Transaction tx, UploadSession session, @Nullable String blockId, long blockSize) throws SQLException {
        Connection connection = tx.connection();
        long version = session.version + 1;
        try (PreparedStatement update = connection.prepareStatement("UPDATE flowbin_uploadsession SET total = ?, "
                + "received = ?, blockidlength = ?, completedsize = ?, completedmime = ?, version = ?, lastused = ? "
                + "WHERE token = ? AND version = ?")) {
            update.setLong(1, session.total);
            update.setLong(2, session.received);
            update.setInt(3, session.blockIdLength);
            StoredFile completed = session.completed;
            if (completed == null) {
                update.setNull(4, Types.BIGINT);
                update.setNull(5, Types.VARCHAR);
            } else {
                update.setLong(4, completed.size());
                update.setString(5, completed.mimeType());
            }
            update.setLong(6, version);
            update.setObject(7, utc(session.lastUsed));
            update.setString(8, session.token);
            update.setLong(9, session.version);
            if (update.executeUpdate() != 1) {
                throw FileErrors.sessionChanged();
            }
        }
        session.version = version;
        if (blockId != null) {
            int arrival = (int) Math.min(Integer.MAX_VALUE, version);
            try (PreparedStatement restage = connection.prepareStatement("UPDATE flowbin_uploadblock SET size = ?, "
                    + "arrival = ? WHERE token = ? AND blockid = ?")) {
                restage.setLong(1, blockSize);
                restage.setInt(2, arrival);
                restage.setString(3, session.token);
                restage.setString(4, blockId);
                if (restage.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO flowbin_uploadblock "
                            + "(token, blockid, arrival, size) VALUES (?, ?, ?, ?)")) {
                        insert.setString(1, session.token);
                        insert.setString(2, blockId);
                        insert.setInt(3, arrival);
                        insert.setLong(4, blockSize);
                        insert.executeUpdate();
                    }
                }
            }
        }
        MessageDigest digest = session.digest;
        String token = session.token;
        tx.afterCommit(() -> {
            if (digest != null) {
                digests.put(token, new CachedDigest(version, digest));
            } else {
                digests.invalidate(token);
            }
        });
    }

    /** Removes the session and its block records, in its own transaction. */
    void remove(UploadSession session) {
        database.inTransaction(tx -> {
            removeIn(tx, session.token);
            return null;
        });
    }

    /** Removes the session and its block records inside the caller's transaction. */
    void removeIn(Transaction tx, String token) throws SQLException {
        try (PreparedStatement delete = tx.connection().prepareStatement(
                "DELETE FROM flowbin_uploadsession WHERE token = ?")) {
            delete.setString(1, token);
            delete.executeUpdate();
        }
        deleteBlocks(tx, token);
    }

    /** Deletes the block records of a session whose own record goes in the same transaction. */
    private void deleteBlocks(Transaction tx, String token) throws SQLException {
        try (PreparedStatement blocks = tx.connection().prepareStatement(
                "DELETE FROM flowbin_uploadblock WHERE token = ?")) {
            blocks.setString(1, token);
            blocks.executeUpdate();
        }
        tx.afterCommit(() -> digests.invalidate(token));
    }

    /** The size of a staged block of the session, or null when it was not staged. */
    @Nullable Long blockSize(UploadSession session, String blockId) {
        return database.read(tx -> {
            try (PreparedStatement select = tx.connection().prepareStatement(
                    "SELECT size FROM flowbin_uploadblock WHERE token = ? AND blockid = ?")) {
                select.setString(1, session.token);
                select.setString(2, blockId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : null;
                }
            }
        });
    }

    /** The session's staged block ids with their sizes, in the order they last arrived. */
    LinkedHashMap<String, Long> blocks(UploadSession session) {
        return database.read(tx -> {
            LinkedHashMap<String, Long> blocks = new LinkedHashMap<>();
            try (PreparedStatement select = tx.connection().prepareStatement("SELECT blockid, size FROM "
                    + "flowbin_uploadblock WHERE token = ? ORDER BY arrival")) {
                select.setString(1, session.token);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        blocks.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return blocks;
        });
    }

    /**
     * Removes the sessions that expired, each by one node only; the caller deletes the blocks of the unfinished
     * ones.
     */
    List<Expired> removeExpired() {
        Instant now = clock.instant();
        // rows idle for the shorter of the two lifetimes are candidates; each is then judged by its own
        Instant idleBefore = now.minus(idleTimeout.compareTo(COMPLETED_GRACE) < 0 ? idleTimeout : COMPLETED_GRACE);
        List<Candidate> candidates = database.read(tx -> {
            List<Candidate> found = new ArrayList<>();
            try (PreparedStatement select = tx.connection().prepareStatement("SELECT token, fileid, version, "
                    + "lastused, completedsize FROM flowbin_uploadsession WHERE lastused <= ?")) {
                select.setObject(1, utc(idleBefore));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String token = rows.getString(1);
                        UUID fileId = rows.getObject(2, UUID.class);
                        long version = rows.getLong(3);
                        Instant lastUsed = rows.getObject(4, OffsetDateTime.class).toInstant();
                        rows.getLong(5);
                        found.add(new Candidate(token, fileId, version, lastUsed, !rows.wasNull()));
                    }
                }
            }
            return found;
        });
        List<Expired> expired = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (!isExpired(candidate.lastUsed(), candidate.completed(), now) || !tryLock(candidate.token())) {
                continue; // still live, or in use on this node right now
            }
            try {
                boolean removed = database.inTransaction(tx -> {
                    try (PreparedStatement delete = tx.connection().prepareStatement(
                            "DELETE FROM flowbin_uploadsession WHERE token = ? AND version = ?")) {
                        delete.setString(1, candidate.token());
                        delete.setLong(2, candidate.version());
                        if (delete.executeUpdate() == 0) {
                            return false; // used or removed meanwhile, perhaps by another node
                        }
                    }
                    deleteBlocks(tx, candidate.token());
                    return true;
                });
                if (removed) {
                    expired.add(new Expired(candidate.fileId().toString(), candidate.completed()));
                }
            } finally {
                unlock(candidate.token());
            }
        }
        return expired;
    }

    /** What the expiry pass reads of a session: enough to judge and remove it, whatever its target. */
    private record Candidate(String token, UUID fileId, long version, Instant lastUsed, boolean completed) {}

    /** Whether a blob belongs to an upload that is still recorded. */
    boolean ownsBlob(String blobName) {
        UUID fileId;
        try {
            fileId = UUID.fromString(blobName);
        } catch (IllegalArgumentException notOurs) {
            return false;
        }
        return database.read(tx -> {
            try (PreparedStatement select = tx.connection().prepareStatement(
                    "SELECT 1 FROM flowbin_uploadsession WHERE fileid = ?")) {
                select.setObject(1, fileId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /** How many multi-request uploads are recorded, on every node. */
    int size() {
        return database.read(tx -> count(tx.connection()));
    }

    private static int count(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COUNT(*) FROM flowbin_uploadsession WHERE kind <> 'SINGLE'");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private @Nullable UploadSession read(Connection connection, String token) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM flowbin_uploadsession WHERE token = ?")) {
            select.setString(1, token);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? session(rows) : null;
            }
        }
    }

    /** The session of a row; null when its table or column is no longer defined (it is then unknown). */
    private @Nullable UploadSession session(ResultSet row) throws SQLException {
        TableDefinition table = catalog.table(row.getString("tablename"));
        ColumnDefinition column = table == null ? null : table.column(row.getString("columnname"));
        if (table == null || column == null) {
            return null;
        }
        UploadSession session = new UploadSession(row.getString("token"),
                UploadSession.Kind.valueOf(row.getString("kind")), new FileTarget(table, row.getObject("rowid",
                        UUID.class), column), row.getObject("userid", UUID.class), row.getObject("fileid", UUID.class),
                row.getString("filename"), row.getLong("version"),
                row.getObject("lastused", OffsetDateTime.class).toInstant());
        session.total = row.getLong("total");
        session.received = row.getLong("received");
        session.blockIdLength = row.getInt("blockidlength");
        long completedSize = row.getLong("completedsize");
        if (!row.wasNull()) {
            session.completed = new StoredFile(session.fileId, session.fileName, completedSize,
                    row.getString("completedmime"), session.blobName());
        }
        return session;
    }

    private boolean isExpired(Instant lastUsed, boolean completed, Instant now) {
        Duration lifetime = completed ? COMPLETED_GRACE : idleTimeout;
        return !lastUsed.plus(lifetime).isAfter(now);
    }

    private void lock(String token) {
        enter(token).lock.lock();
    }

    private boolean tryLock(String token) {
        if (enter(token).lock.tryLock()) {
            return true;
        }
        leave(token);
        return false;
    }

    private void unlock(String token) {
        SessionLock held = locks.get(token);
        if (held != null) {
            held.lock.unlock();
            leave(token);
        }
    }

    private SessionLock enter(String token) {
        return locks.compute(token, (key, held) -> {
            SessionLock lock = held == null ? new SessionLock() : held;
            lock.users++;
            return lock;
        });
    }

    private void leave(String token) {
        locks.computeIfPresent(token, (key, held) -> --held.users == 0 ? null : held);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
