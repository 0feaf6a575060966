package io.flowbin.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowbin.error.DataverseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevTokensTest {
    private static final UUID OID = UUID.fromString("0a9c5c3e-8b7d-4e41-9f64-2b1c3d4e5f60");

    @TempDir
    Path dataDir;

    @Test
    void secretIsCreatedForItsOwnerOnlyAndReusedOnTheNextStart() throws IOException {
        DevTokens first = DevTokens.loadOrCreate(dataDir.resolve("nested"));
        DevTokens second = DevTokens.loadOrCreate(dataDir.resolve("nested"));

        Path file = dataDir.resolve("nested").resolve(DevTokens.SECRET_FILE);
        assertArrayEquals(first.secret(), second.secret());
        assertTrue(first.secret().length >= 32);
        assertArrayEquals(Files.readString(file).strip().getBytes(StandardCharsets.UTF_8), first.secret());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file));
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void differentDataDirsGetDifferentSecrets() {
        byte[] one = DevTokens.loadOrCreate(dataDir.resolve("one")).secret();
        byte[] two = DevTokens.loadOrCreate(dataDir.resolve("two")).secret();

        assertFalse(Arrays.equals(one, two));
    }

    @Test
    void shortSecretFileIsRefused() throws IOException {
        Files.writeString(dataDir.resolve(DevTokens.SECRET_FILE), "short\n");

        var error = assertThrows(IllegalStateException.class, () -> DevTokens.loadOrCreate(dataDir));

        assertTrue(error.getMessage().contains("jwt-secret"), error.getMessage());
    }

    @Test
    void mintedTokenIsAcceptedByAVerifierWithTheSameSecret() {
        DevTokens tokens = DevTokens.loadOrCreate(dataDir);
        Instant before = Instant.now();

        String token = tokens.mint(OID, Duration.ofHours(1));

        try (TokenVerifier verifier = TokenVerifier.sharedSecret(tokens.secret(), null, null)) {
            VerifiedToken verified = verifier.verifyAuthorizationHeader("Bearer " + token);
            assertEquals(OID, verified.objectId());
            assertTrue(!verified.expiresAt().isBefore(before.plus(Duration.ofHours(1)).minusSeconds(1)));
        }
    }

    @Test
    void mintedTokenCarriesIssuerAndAudienceWhenConfigured() {
        byte[] secret = "a-configured-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
        DevTokens plain = DevTokens.of(secret);
        DevTokens stamped = plain.withIssuerAndAudience("flowbin", "api://flowbin");

        try (TokenVerifier verifier = TokenVerifier.sharedSecret(secret, "flowbin", "api://flowbin")) {
            assertEquals(OID, verifier.verify(stamped.mint(OID, Duration.ofMinutes(5))).objectId());
            assertThrows(DataverseException.class, () -> verifier.verify(plain.mint(OID, Duration.ofMinutes(5))));
        }
    }

    @Test
    void tokenMintedEarlierExpiresAfterItsLifetime() {
        var clock = new SteppingClock(Instant.parse("2025-06-01T12:00:00Z"));
        DevTokens tokens = DevTokens.loadOrCreate(dataDir).withClock(clock);
        String token = tokens.mint(OID, Duration.ofMinutes(1));

        try (TokenVerifier verifier = TokenVerifier.sharedSecret(tokens.secret(), null, null, clock)) {
            verifier.verify(token);
            clock.advance(Duration.ofMinutes(3));

            var error = assertThrows(DataverseException.class, () -> verifier.verify(token));
            assertEquals(TokenVerifier.EXPIRED, error.getMessage());
        }
    }

    @Test
    void shortSecretOrEmptyLifetimeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DevTokens.of(new byte[31]));
        DevTokens tokens = DevTokens.of(new byte[32]);
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(OID, Duration.ZERO));
    }
}
