package io.flowbin.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowbin.data.Database;
import io.flowbin.data.Dialect;
import io.flowbin.error.DataverseException;
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

    public CallerResolver(Database database, UUID organizationId) {
        this.database = database;
        this.organizationId = organizationId;
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
