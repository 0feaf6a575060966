package io.flowbin.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowbin.data.Database;
import io.flowbin.data.Dialect;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Maps a token's object id to the systemuser it belongs to ({@code azureactivedirectoryobjectid}) and that user's
 * business unit. Answers are cached briefly in a bounded cache so that a hot path costs no query; a disabled or
 * unknown user is refused. Thread-safe.
 */
public final class CallerResolver {
    static final String USER_NOT_ENABLED = "0x80040225";
    private final Database database;
    private final UUID organizationId;
    private final Cache<UUID, Caller> cache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build();

    private final AccessGuard guard;

    public CallerResolver(Database database, UUID organizationId) {
        this(database, organizationId, AccessGuard.unrestricted());
    }

    /** @param guard decides whether a caller may act on behalf of another user */
    public CallerResolver(Database database, UUID organizationId, AccessGuard guard) {
        this.database = database;
        this.organizationId = organizationId;
        this.guard = guard;
    }

    /**
     * The caller a request acts as: the token's user, or under impersonation ({@code CallerObjectId}: an Entra object
     * id, else {@code MSCRMCallerID}: a systemuser id) the user named, provided the token's user holds
     * prvActOnBehalfOfAnotherUser; the real caller is then kept as {@link Caller#onBehalfOf()}.
     */
    public Caller resolve(UUID objectId, @Nullable String callerObjectId, @Nullable String callerId) {
        Caller real = resolve(objectId);
        if (blank(callerObjectId) && blank(callerId)) {
            return real;
        }
        Rights rights = guard.rights(real.userId());
        if (rights != null && rights.depth(PrivilegeNames.ACT_ON_BEHALF) == null) {
            throw new DataverseException(403, ErrorCodes.CANNOT_ACT_ON_BEHALF,
                    "User does not have the privilege to act on behalf another user.");
        }
        Caller target = !blank(callerObjectId) ? resolve(uuid(callerObjectId)) : byUserId(uuid(callerId));
        return target.userId().equals(real.userId()) ? real
                : new Caller(target.userId(), target.businessUnitId(), organizationId, real.userId());
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static UUID uuid(@Nullable String value) {
        try {
            return UUID.fromString(java.util.Objects.requireNonNull(value).trim());
        } catch (IllegalArgumentException e) {
            throw new DataverseException(400, ErrorCodes.INVALID_CALLER_ID, "Invalid caller id '" + value + "'.");
        }
    }

    private Caller byUserId(UUID userId) {
        Dialect dialect = database.dialect();
        String sql = "SELECT " + dialect.quote("azureactivedirectoryobjectid") + " FROM " + dialect.quote("systemuser")
                + " WHERE " + dialect.quote("systemuserid") + " = ?";
        UUID objectId = database.read(tx -> {
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setObject(1, userId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getObject(1, UUID.class) : null;
                }
            }
        });
        if (objectId == null) {
            throw new DataverseException(400, ErrorCodes.INVALID_CALLER_ID, "Invalid caller id '" + userId + "'.");
        }
        return resolve(objectId);
    }

    public Caller resolve(UUID objectId) {
        Caller cached = cache.getIfPresent(objectId);
        if (cached != null) {
            return cached;
        }
        Caller caller = load(objectId);
        cache.put(objectId, caller);
        return caller;
    }

    /** Forgets cached callers, so that a change to users takes effect on the next request. */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    private Caller load(UUID objectId) {
        Dialect dialect = database.dialect();
        String sql = "SELECT " + dialect.quote("systemuserid") + ", " + dialect.quote("businessunitid") + ", "
                + dialect.quote("isdisabled") + " FROM " + dialect.quote("systemuser") + " WHERE "
                + dialect.quote("azureactivedirectoryobjectid") + " = ?";
        @Nullable Caller caller = database.inTransaction(tx -> {
            try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setObject(1, objectId);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return null;
                    }
                    if (rows.getBoolean(3)) {
                        throw new DataverseException(403, USER_NOT_ENABLED,
                                "The user with object id " + objectId + " is disabled.");
                    }
                    return new Caller(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), organizationId,
                            null);
                }
            }
        });
        if (caller == null) {
            throw new DataverseException(403, USER_NOT_ENABLED,
                    "No user with object id " + objectId + " is a member of this organization.");
        }
        return caller;
    }
}
