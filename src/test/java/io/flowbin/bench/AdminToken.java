package io.flowbin.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Prints an HS256 bearer token for the administrator: claim {@code oid} from {@code FLOWBIN_ADMIN_OID}, valid for
 * one hour, signed with the UTF-8 bytes of {@code FLOWBIN_JWT_SECRET}. Stateless.
 */
final class AdminToken {

    private static final Base64.Encoder BASE64_URL = Base64.getUrlEncoder().withoutPadding();

    private AdminToken() {
    }

    public static void main(String[] args) throws GeneralSecurityException {
        String secret = requiredEnv("FLOWBIN_JWT_SECRET");
        String oid = requiredEnv("FLOWBIN_ADMIN_OID");
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String claims = "{\"oid\":\"" + oid + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        System.out.println(sign(secret, header, claims));
    }

    static String sign(String secret, String header, String claims) throws GeneralSecurityException {
        String signingInput = encode(header) + "." + encode(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64_URL.encodeToString(signature);
    }

    private static String encode(String json) {
        return BASE64_URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
