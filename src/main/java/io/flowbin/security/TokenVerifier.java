package io.flowbin.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Verifies bearer tokens: HS256 signed with a shared secret, or RS256 signed with a key from a JSON Web Key Set
 * fetched over HTTP (cached; fetched again, at most twice in 30 seconds, when a token names an unknown key). Tokens
 * that pass are remembered until their expiry, at most a few minutes, so a busy caller costs one signature check per
 * few minutes. Thread-safe; {@link #close()} stops the key set's background refresh.
 */
public final class TokenVerifier implements AutoCloseable {
    static final String NOT_VALID = "The bearer token is not valid.";
    static final String EXPIRED = "The bearer token is expired.";
    static final String MISSING = "The request is not authenticated: the Authorization header with a bearer token is"
            + " missing.";
    static final String NOT_BEARER = "The Authorization header must carry a token with the Bearer scheme.";
    static final String KEYS_UNAVAILABLE = "The keys that sign bearer tokens cannot be loaded now; try again later.";

    /** Longest cache lifetime, which bounds how long a token outlives the removal of its signing key. */
    static final Duration MAX_CACHE_TIME = Duration.ofMinutes(5);
    static final int CACHE_SIZE = 10_000;
    /** Entra ID tokens with many group claims reach about 8 KB; longer input is refused unparsed. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final Duration KEY_SET_TIME_TO_LIVE = Duration.ofMinutes(15);
    private static final Duration KEY_SET_REFRESH_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration KEY_SET_RATE_LIMIT = Duration.ofSeconds(30);
    private static final Duration KEY_SET_OUTAGE_TOLERANCE = Duration.ofHours(2);
    private static final int KEY_SET_HTTP_TIMEOUT_MILLIS = 5_000;
    private static final int KEY_SET_SIZE_LIMIT = 1024 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final @Nullable JWKSource<SecurityContext> keySource;
    private final Cache<String, VerifiedToken> verified;
    private final Clock clock;

    private TokenVerifier(
            JWSKeySelector<SecurityContext> keySelector,
            @Nullable JWKSource<SecurityContext> keySource,
            @Nullable String issuer,
            @Nullable String audience,
            Clock clock) {
        this.keySource = keySource;
        this.clock = clock;
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keySelector);
        // RFC 9068 access tokens say at+jwt; Entra ID says JWT
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(new ClaimRules(issuer, audience, clock));
        verified = Caffeine.newBuilder()
                .maximumSize(CACHE_SIZE)
                .expireAfter(Expiry.creating((String token, VerifiedToken result) -> cacheTime(result)))
                .build();
    }

    /**
     * A verifier of HS256 tokens signed with {@code secret} (at least 32 bytes); {@code iss} and {@code aud} are
     * checked when {@code issuer} and {@code audience} are given.
     */
    public static TokenVerifier sharedSecret(byte[] secret, @Nullable String issuer, @Nullable String audience) {
        return sharedSecret(secret, issuer, audience, Clock.systemUTC());
    }

    static TokenVerifier sharedSecret(
            byte[] secret, @Nullable String issuer, @Nullable String audience, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("An HS256 secret needs at least 32 bytes, was " + secret.length);
        }
        var key = new SecretKeySpec(secret, "HmacSHA256");
        return new TokenVerifier(
                new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, key), null, issuer, audience, clock);
    }

    /**
     * A verifier of RS256 tokens from {@code issuer} to {@code audience}, signed with a key published at
     * {@code jwksUrl}.
     */
    public static TokenVerifier keySet(URL jwksUrl, String issuer, String audience) {
        return keySet(jwksUrl, issuer, audience, Clock.systemUTC());
    }

    static TokenVerifier keySet(URL jwksUrl, String issuer, String audience, Clock clock) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        var retriever = new DefaultResourceRetriever(
                KEY_SET_HTTP_TIMEOUT_MILLIS, KEY_SET_HTTP_TIMEOUT_MILLIS, KEY_SET_SIZE_LIMIT);
        JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(jwksUrl, retriever)
                .cache(KEY_SET_TIME_TO_LIVE.toMillis(), KEY_SET_REFRESH_TIMEOUT.toMillis())
                .rateLimited(KEY_SET_RATE_LIMIT.toMillis())
                .retrying(true)
                // an identity provider's short outage must not lock every caller out
                .outageTolerant(KEY_SET_OUTAGE_TOLERANCE.toMillis())
                .build();
        return new TokenVerifier(
                new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, source), source, issuer, audience, clock);
    }

    /**
     * Verifies the value of an {@code Authorization} header, which must be {@code Bearer <token>}.
     *
     * @throws DataverseException 401 {@code 0x80044302} when the header is missing, not Bearer, or the token is bad
     */
    public VerifiedToken verifyAuthorizationHeader(@Nullable String header) {
        if (header == null || header.isBlank()) {
            throw ErrorCodes.notAuthenticated(MISSING);
        }
        String value = header.strip();
        // RFC 7235: the scheme name is case-insensitive
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ErrorCodes.notAuthenticated(NOT_BEARER);
        }
        return verify(value.substring(7).strip());
    }

    /**
     * Verifies a compact JWT.
     *
     * @throws DataverseException 401 {@code 0x80044302} when the token is expired or not valid; 503 when the key set
     *     cannot be fetched
     */
    public VerifiedToken verify(String token) {
        VerifiedToken cached = verified.getIfPresent(token);
        if (cached != null) {
            // the cache's own timer runs on the system ticker; this keeps the exp promise under any clock
            if (clock.instant().isBefore(cached.expiresAt())) {
                return cached;
            }
            verified.invalidate(token);
        }
        VerifiedToken result = verifyUncached(token);
        if (clock.instant().isBefore(result.expiresAt())) {
            verified.put(token, result);
        }
        return result;
    }

    private VerifiedToken verifyUncached(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw ErrorCodes.notAuthenticated(NOT_VALID);
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            UUID objectId = ClaimRules.objectId(claims);
            return new VerifiedToken(objectId, claims.getExpirationTime().toInstant());
        } catch (ClaimRules.ExpiredTokenException e) {
            throw new DataverseException(401, ErrorCodes.REQUEST_NOT_AUTHENTICATED, EXPIRED, e);
        } catch (RateLimitReachedException e) {
            // a flood of unknown key ids: the key is not in the set we have, so the token is not ours
            throw new DataverseException(401, ErrorCodes.REQUEST_NOT_AUTHENTICATED, NOT_VALID, e);
        } catch (KeySourceException e) {
            throw new DataverseException(503, ErrorCodes.UNEXPECTED, KEYS_UNAVAILABLE, e);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new DataverseException(401, ErrorCodes.REQUEST_NOT_AUTHENTICATED, NOT_VALID, e);
        }
    }

    private Duration cacheTime(VerifiedToken token) {
        Duration untilExpiry = Duration.between(clock.instant(), token.expiresAt());
        if (untilExpiry.isNegative()) {
            return Duration.ZERO;
        }
        return untilExpiry.compareTo(MAX_CACHE_TIME) < 0 ? untilExpiry : MAX_CACHE_TIME;
    }

    @Override
    public void close() {
        verified.invalidateAll();
        if (keySource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("Closing the key set source failed", e);
            }
        }
    }
}
