package io.flowbin.odata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PagingCookiesTest {
    /** Dataverse's form of a cookie in a link: URLEncoder's, with spaces as %20 and lower-case hex digits. */
    private static String dataverseEncoding(String text) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        StringBuilder lower = new StringBuilder();
        for (int i = 0; i < encoded.length(); i++) {
            boolean hex = i >= 1 && encoded.charAt(i - 1) == '%' || i >= 2 && encoded.charAt(i - 2) == '%';
            lower.append(hex ? Character.toLowerCase(encoded.charAt(i)) : encoded.charAt(i));
        }
        return lower.toString();
    }

    @Test
    void cookiesAreEncodedAsDataverseEncodesThem() {
        assertEquals("%3ccookie%20page%3d%221%22%3e%3cname%20last%3d%22a%26amp%3bb%22%20%2f%3e%3c%2fcookie%3e",
                PagingCookies.encode("<cookie page=\"1\"><name last=\"a&amp;b\" /></cookie>"));
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < 40; j++) {
                // ASCII, Latin-1, other planes and surrogate pairs alike
                int codePoint = switch (random.nextInt(4)) {
                    case 0 -> 32 + random.nextInt(95);
                    case 1 -> 160 + random.nextInt(96);
                    case 2 -> 0x4E00 + random.nextInt(100);
                    default -> 0x1F600 + random.nextInt(50);
                };
                text.appendCodePoint(codePoint);
            }
            assertEquals(dataverseEncoding(text.toString()), PagingCookies.encode(text.toString()),
                    text.toString().toUpperCase(Locale.ROOT));
        }
    }
}
