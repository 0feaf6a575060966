package io.flowbin.security;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A bearer token that passed verification: the caller's object id (the {@code oid} claim, matched against
 * {@code systemuser.azureactivedirectoryobjectid}) and the moment the token expires. Immutable.
 *
 * @param objectId the caller's object id
 * @param expiresAt the token's {@code exp} claim
 */
public record VerifiedToken(UUID objectId, Instant expiresAt) {
    public VerifiedToken {
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
