package io.flowbin.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Signs HS256 bearer tokens for dev mode, with the configured secret or one generated once and kept in
 * {@code <data dir>/jwt-secret}. The file holds the secret as text, and the key is that text's UTF-8 bytes, so its
 * content works unchanged as {@code FLOWBIN_JWT_SECRET}. Immutable and thread-safe.
 */
public final class DevTokens {
    /** Name of the generated secret's file in the data dir. */
    public static final String SECRET_FILE = "jwt-secret";

    private static final int MIN_SECRET_BYTES = 32;
    private static final int GENERATED_RANDOM_BYTES = 48;

    private final byte[] secret;
    private final MACSigner signer;
    private final @Nullable String issuer;
    private final @Nullable String audience;
    private final Clock clock;

    private DevTokens(byte[] secret, @Nullable String issuer, @Nullable String audience, Clock clock) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "An HS256 secret needs at least " + MIN_SECRET_BYTES + " bytes, was " + secret.length);
        }
        this.secret = secret.clone();
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        try {
            signer = new MACSigner(this.secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("The HS256 secret is not usable", e);
        }
    }

    /** Tokens signed with {@code secret}, such as the UTF-8 bytes of {@code FLOWBIN_JWT_SECRET}. */
    public static DevTokens of(byte[] secret) {
        return new DevTokens(secret, null, null, Clock.systemUTC());
    }

    /**
     * Tokens signed with the secret in {@code <dataDir>/jwt-secret}, which is created (readable by its owner only
     * where the file system has POSIX permissions) when missing and reused on later starts.
     *
     * @throws UncheckedIOException when the folder or file cannot be read or written
     * @throws IllegalStateException when the file holds fewer than 32 bytes
     */
    public static DevTokens loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(SECRET_FILE);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                create(dataDir, file);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            byte[] secret = text.getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalStateException(file + " holds a secret of " + secret.length + " bytes, fewer than "
                        + MIN_SECRET_BYTES + "; delete the file to have a new secret made");
            }
            return new DevTokens(secret, null, null, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the dev token secret " + file, e);
        }
    }

    /** The same signer, stamping {@code iss} and {@code aud} into each token when given. */
    public DevTokens withIssuerAndAudience(@Nullable String issuer, @Nullable String audience) {
        return new DevTokens(secret, issuer, audience, clock);
    }

    DevTokens withClock(Clock clock) {
        return new DevTokens(secret, issuer, audience, clock);
    }

    /** A copy of the secret the tokens are signed with, for the verifier. */
    public byte[] secret() {
        return secret.clone();
    }

    /** A compact HS256 JWT for the caller {@code oid}, valid from now for {@code lifetime}. */
    public String mint(UUID oid, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("A token lifetime must be positive, was " + lifetime);
        }
        Instant now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .claim("oid", oid.toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        if (issuer != null) {
            claims.issuer(issuer);
        }
        if (audience != null) {
            claims.audience(audience);
        }
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing a dev token failed", e);
        }
        return jwt.serialize();
    }

    private static void create(Path dataDir, Path file) throws IOException {
        byte[] random = new byte[GENERATED_RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Arrays.fill(random, (byte) 0);
        // written beside the target and then moved, so no reader ever sees a half-written secret
        Path temporary = Files.createTempFile(dataDir, ".jwt-secret-", ".tmp", ownerOnly(dataDir));
        try {
            Files.writeString(temporary, text + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file);
        } catch (FileAlreadyExistsException e) {
            // another process made it first: theirs is the one to keep
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path dataDir) {
        if (!dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> permissions =
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
    }
}
