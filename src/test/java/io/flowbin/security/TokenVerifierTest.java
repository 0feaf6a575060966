package io.flowbin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TokenVerifierTest {
    private static final byte[] SECRET = "a-shared-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "another-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private static final String ISSUER = "https://login.example.com/tenant/v2.0";
    private static final String AUDIENCE = "api://flowbin";
    private static final UUID OID = UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

    private static RSAKey firstKey;
    private static RSAKey rotatedKey;

    private final SteppingClock clock = new SteppingClock(START);

    @BeforeAll
    static void generateKeys() throws JOSEException {
        firstKey = new RSAKeyGenerator(2048).keyID("first").generate();
        rotatedKey = new RSAKeyGenerator(2048).keyID("rotated").generate();
    }

    @Test
    void validSharedSecretTokenIsAccepted() throws JOSEException {
        try (TokenVerifier verifier = sharedSecretVerifier()) {
            VerifiedToken token = verifier.verify(hs256(SECRET, claims().build()));

            assertEquals(new VerifiedToken(OID, START.plus(Duration.ofMinutes(10))), token);
        }
    }

    @Test
    void expiredTokenIsRejectedAsExpired() throws JOSEException {
        String token = hs256(SECRET, claims().expirationTime(Date.from(START.minusSeconds(61))).build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.EXPIRED, () -> verifier.verify(token));
        }
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsAccepted() throws JOSEException {
        String token = hs256(SECRET, claims().expirationTime(Date.from(START.minusSeconds(30))).build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertEquals(OID, verifier.verify(token).objectId());
        }
    }

    @Test
    void tokenNotYetValidIsRejected() throws JOSEException {
        String early = hs256(SECRET, claims().notBeforeTime(Date.from(START.plusSeconds(120))).build());
        String withinSkew = hs256(SECRET, claims().notBeforeTime(Date.from(START.plusSeconds(30))).build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(early));
            assertEquals(OID, verifier.verify(withinSkew).objectId());
        }
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() throws JOSEException {
        String token = hs256(OTHER_SECRET, claims().build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(token));
        }
    }

    @Test
    void unsignedTokenIsRejected() throws JOSEException {
        String payload = encode(claims().build().toString());
        String unsigned = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".";
        String signature = hs256(SECRET, claims().build()).split("\\.")[2];
        String unsignedWithBorrowedSignature = unsigned + signature;

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(unsigned));
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(unsignedWithBorrowedSignature));
        }
    }

    @Test
    void wrongIssuerOrAudienceIsRejected() throws JOSEException {
        String wrongIssuer = hs256(SECRET, claims().issuer("https://elsewhere.example.com").build());
        String wrongAudience = hs256(SECRET, claims().audience("api://other").build());
        String noAudience = hs256(SECRET, claims().audience(List.of()).build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(wrongIssuer));
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(wrongAudience));
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(noAudience));
        }
    }

    @Test
    void issuerAndAudienceAreNotRequiredWhenNotConfigured() throws JOSEException {
        String token = hs256(SECRET, claims().issuer(null).audience(List.of()).build());

        try (TokenVerifier verifier = TokenVerifier.sharedSecret(SECRET, null, null, clock)) {
            assertEquals(OID, verifier.verify(token).objectId());
        }
    }

    @Test
    void tokenWithoutUsableOidIsRejected() throws JOSEException {
        String missing = hs256(SECRET, claims().claim("oid", null).build());
        String notGuid = hs256(SECRET, claims().claim("oid", "admin").build());
        String shortGroups = hs256(SECRET, claims().claim("oid", "1-2-3-4-5").build());
        String number = hs256(SECRET, claims().claim("oid", 42).build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            for (String token : List.of(missing, notGuid, shortGroups, number)) {
                assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(token));
            }
        }
    }

    @Test
    void tokenWithoutExpIsRejected() throws JOSEException {
        String token = hs256(SECRET, claims().expirationTime(null).build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(token));
        }
    }

    @Test
    void malformedOrOversizedTokenIsRejected() {
        String oversized = "e".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1);

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify("not-a-token"));
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(""));
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(oversized));
        }
    }

    @Test
    void rs256TokenIsRejectedBySharedSecretVerifier() throws JOSEException {
        String token = rs256(firstKey, claims().build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(token));
        }
    }

    @Test
    void cachedTokenIsNotAcceptedAfterItsExpiry() throws JOSEException {
        String token = hs256(SECRET, claims().expirationTime(Date.from(START.plusSeconds(30))).build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            VerifiedToken first = verifier.verify(token);
            clock.advance(Duration.ofSeconds(20));
            VerifiedToken cached = verifier.verify(token);
            clock.advance(Duration.ofSeconds(10 + 61));

            assertEquals(first, cached);
            assertRejected(TokenVerifier.EXPIRED, () -> verifier.verify(token));
        }
    }

    @Test
    void authorizationHeaderMustCarryABearerToken() throws JOSEException {
        String token = hs256(SECRET, claims().build());

        try (TokenVerifier verifier = sharedSecretVerifier()) {
            assertEquals(OID, verifier.verifyAuthorizationHeader("Bearer " + token).objectId());
            assertEquals(OID, verifier.verifyAuthorizationHeader("bearer  " + token + " ").objectId());
            assertRejected(TokenVerifier.MISSING, () -> verifier.verifyAuthorizationHeader(null));
            assertRejected(TokenVerifier.MISSING, () -> verifier.verifyAuthorizationHeader(" "));
            assertRejected(TokenVerifier.NOT_BEARER, () -> verifier.verifyAuthorizationHeader("Bearer"));
            assertRejected(TokenVerifier.NOT_BEARER, () -> verifier.verifyAuthorizationHeader("Basic dXNlcjpwdw=="));
            assertRejected(TokenVerifier.NOT_BEARER, () -> verifier.verifyAuthorizationHeader(token));
            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verifyAuthorizationHeader("Bearer x.y.z"));
        }
    }

    @Test
    void keySetTokenIsAcceptedWithIssuerAndAudienceChecked() throws JOSEException {
        try (KeySetServer keys = new KeySetServer();
                TokenVerifier verifier = TokenVerifier.keySet(keys.url(), ISSUER, AUDIENCE, clock)) {
            keys.publish(List.of(firstKey));

            assertEquals(OID, verifier.verify(rs256(firstKey, claims().build())).objectId());
            assertRejected(TokenVerifier.NOT_VALID,
                    () -> verifier.verify(rs256(firstKey, claims().issuer("https://evil.example.com").build())));
            assertRejected(TokenVerifier.NOT_VALID,
                    () -> verifier.verify(rs256(firstKey, claims().audience("api://other").build())));
            assertRejected(TokenVerifier.EXPIRED, () -> verifier.verify(
                    rs256(firstKey, claims().expirationTime(Date.from(START.minusSeconds(300))).build())));
        }
    }

    @Test
    void tokenSignedWithRotatedKeyIsAcceptedOnceTheKeyIsPublished() throws JOSEException {
        try (KeySetServer keys = new KeySetServer();
                TokenVerifier verifier = TokenVerifier.keySet(keys.url(), ISSUER, AUDIENCE, clock)) {
            keys.publish(List.of(firstKey));
            verifier.verify(rs256(firstKey, claims().build()));
            int fetchesBeforeRotation = keys.fetches();

            keys.publish(List.of(firstKey, rotatedKey));
            VerifiedToken rotated = verifier.verify(rs256(rotatedKey, claims().claim("jti", "rotated").build()));

            assertEquals(OID, rotated.objectId());
            assertEquals(fetchesBeforeRotation + 1, keys.fetches());
        }
    }

    @Test
    void unknownKeyIdsDoNotFloodTheKeySetEndpoint() throws JOSEException {
        try (KeySetServer keys = new KeySetServer();
                TokenVerifier verifier = TokenVerifier.keySet(keys.url(), ISSUER, AUDIENCE, clock)) {
            keys.publish(List.of(firstKey));
            for (int attempt = 0; attempt < 10; attempt++) {
                RSAKey stranger = new RSAKey.Builder(rotatedKey).keyID("unknown-" + attempt).build();
                String token = rs256(stranger, claims().build());
                assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(token));
            }

            assertTrue(keys.fetches() <= 2, "fetched " + keys.fetches() + " times");
            assertEquals(OID, verifier.verify(rs256(firstKey, claims().build())).objectId(), "known keys still work");
        }
    }

    @Test
    void sharedSecretTokenIsRejectedByKeySetVerifier() throws JOSEException {
        // the classic confusion: an HMAC token keyed with the RSA public key
        byte[] publicKeyAsSecret = firstKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        String token = hs256(publicKeyAsSecret, claims().build());

        try (KeySetServer keys = new KeySetServer();
                TokenVerifier verifier = TokenVerifier.keySet(keys.url(), ISSUER, AUDIENCE, clock)) {
            keys.publish(List.of(firstKey));

            assertRejected(TokenVerifier.NOT_VALID, () -> verifier.verify(token));
        }
    }

    @Test
    void unreachableKeySetIsReportedAsUnavailable() throws JOSEException {
        KeySetServer keys = new KeySetServer();
        keys.close();
        String token = rs256(firstKey, claims().build());

        try (TokenVerifier verifier = TokenVerifier.keySet(keys.url(), ISSUER, AUDIENCE, clock)) {
            var error = assertThrows(DataverseException.class, () -> verifier.verify(token));

            assertEquals(503, error.httpStatus());
            assertEquals(TokenVerifier.KEYS_UNAVAILABLE, error.getMessage());
        }
    }

    private TokenVerifier sharedSecretVerifier() {
        return TokenVerifier.sharedSecret(SECRET, ISSUER, AUDIENCE, clock);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .claim("oid", OID.toString())
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(START))
                .expirationTime(Date.from(START.plus(Duration.ofMinutes(10))));
    }

    private static String hs256(byte[] secret, JWTClaimsSet claims) throws JOSEException {
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String rs256(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        var header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build();
        var jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRejected(String message, Executable verification) {
        var error = assertThrows(DataverseException.class, verification);
        assertEquals(401, error.httpStatus());
        assertEquals(ErrorCodes.REQUEST_NOT_AUTHENTICATED, error.code());
        assertEquals(message, error.getMessage());
    }
}
