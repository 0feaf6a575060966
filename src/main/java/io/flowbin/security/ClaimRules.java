package io.flowbin.security;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The claim checks every accepted token passes once its signature is good: {@code exp} present and not past,
 * {@code nbf} not ahead, {@code iss} and {@code aud} as configured, all with a bounded clock skew; and an {@code oid}
 * that is a GUID. Immutable and thread-safe.
 */
final class ClaimRules implements JWTClaimsSetVerifier<SecurityContext> {
    /** Tolerated difference between our clock and the token issuer's. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final @Nullable String issuer;
    private final @Nullable String audience;
    private final Clock clock;

    ClaimRules(@Nullable String issuer, @Nullable String audience, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    @Override
    public void verify(JWTClaimsSet claims, @Nullable SecurityContext context) throws BadJWTException {
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new BadJWTException("The exp claim is missing");
        }
        if (!now.isBefore(expiry.toInstant().plus(CLOCK_SKEW))) {
            throw new ExpiredTokenException();
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(CLOCK_SKEW).isBefore(notBefore.toInstant())) {
            throw new BadJWTException("The nbf claim is in the future");
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw new BadJWTException("The iss claim is not the expected issuer");
        }
        if (audience != null) {
            List<String> audiences = claims.getAudience();
            if (!audiences.contains(audience)) {
                throw new BadJWTException("The aud claim does not name the expected audience");
            }
        }
        objectId(claims);
    }

    static UUID objectId(JWTClaimsSet claims) throws BadJWTException {
        String objectId;
        try {
            objectId = claims.getStringClaim("oid");
        } catch (ParseException e) {
            throw new BadJWTException("The oid claim is not a string", e);
        }
        // UUID.fromString alone would accept short groups such as 1-2-3-4-5
        if (objectId == null || !GUID.matcher(objectId).matches()) {
            throw new BadJWTException("The oid claim is missing or not a GUID");
        }
        return UUID.fromString(objectId);
    }

    /** A token whose only fault is that it expired, which clients are told apart from other faults. */
    static final class ExpiredTokenException extends BadJWTException {
        private static final long serialVersionUID = 1L;

        ExpiredTokenException() {
            super("The exp claim is in the past");
        }
    }
}
