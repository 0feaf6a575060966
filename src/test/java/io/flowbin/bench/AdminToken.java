package io.flowbin.bench;

import io.flowbin.security.DevTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Prints an HS256 bearer token, valid for one hour, for the administrator {@code FLOWBIN_ADMIN_OID}, signed with
 * {@code FLOWBIN_JWT_SECRET} as the server verifies it. Stateless.
 */
final class AdminToken {

    private AdminToken() {
    }

    public static void main(String[] args) {
        DevTokens tokens = DevTokens.of(requiredEnv("FLOWBIN_JWT_SECRET").getBytes(StandardCharsets.UTF_8));
        System.out.println(tokens.mint(UUID.fromString(requiredEnv("FLOWBIN_ADMIN_OID")), Duration.ofHours(1)));
    }

    static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
