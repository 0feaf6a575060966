package io.flowbin.files;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The uploads in progress, by their opaque token: bounded in number, bound to the user who started them, and expired
 * after a period without activity. Held in memory, so a restart ends every upload in progress (its staged blocks are
 * removed at start). Thread-safe.
 */
final class UploadSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a completed chunked upload still answers the zero-length final chunk some clients send. */
    static final Duration COMPLETED_GRACE = Duration.ofMinutes(2);

    private final ConcurrentHashMap<String, UploadSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;
    private final int limit;

    UploadSessions(Clock clock, Duration idleTimeout, int limit) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.limit = limit;
    }

    UploadSession open(UploadSession.Kind kind, FileTarget target, UUID userId, String fileName) {
        if (sessions.size() >= limit) {
            throw FileErrors.tooManySessions(limit);
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        UploadSession session = new UploadSession(token, kind, target, userId, fileName, clock.instant());
        sessions.put(token, session);
        return session;
    }

    /**
     * The live session with this token, started by this user, locked; the caller unlocks it. Unknown, expired and
     * other users' tokens are all "unknown", so that a token reveals nothing.
     */
    UploadSession acquire(@Nullable String token, UUID userId, UploadSession.Kind kind) {
        UploadSession session = token == null ? null : sessions.get(token);
        if (session == null || !session.userId.equals(userId) || session.kind != kind) {
            throw FileErrors.unknownSession();
        }
        session.lock().lock();
        if (isExpired(session, clock.instant()) || sessions.get(token) != session) {
            session.lock().unlock();
            throw FileErrors.unknownSession();
        }
        session.lastUsed = clock.instant();
        return session;
    }

    void remove(UploadSession session) {
        sessions.remove(session.token, session);
    }

    /** Removes and returns the sessions that expired; the caller deletes the blocks of the unfinished ones. */
    List<UploadSession> removeExpired() {
        Instant now = clock.instant();
        List<UploadSession> expired = new ArrayList<>();
        for (UploadSession session : sessions.values()) {
            if (!session.lock().tryLock()) {
                continue; // in use right now, so not idle
            }
            try {
                if (isExpired(session, now) && sessions.remove(session.token, session)) {
                    expired.add(session);
                }
            } finally {
                session.lock().unlock();
            }
        }
        return expired;
    }

    /** Whether a blob belongs to an upload that is still open. */
    boolean ownsBlob(String blobName) {
        for (UploadSession session : sessions.values()) {
            if (session.blobName().equals(blobName)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return sessions.size();
    }

    private boolean isExpired(UploadSession session, Instant now) {
        Duration lifetime = session.completed != null ? COMPLETED_GRACE : idleTimeout;
        return !session.lastUsed.plus(lifetime).isAfter(now);
    }
}
