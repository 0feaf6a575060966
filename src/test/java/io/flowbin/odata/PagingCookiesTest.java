package io.flowbin.odata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void decodingTwiceInOnePassReadsWhatTwoDecodingsRead() {
        List<String> samples = new ArrayList<>(List.of(
                PagingCookies.encode(PagingCookies.encode("<cookie page=\"1\"><name last=\"a b+c%d\" /></cookie>")),
                "%253ccookie+page%253d%25221%2522%253e", "a+b%2Bc%252Bd", "%25%33%63", "%2525", "caf\u00e9%25C3%25A9",
                "%C3%A9%25E2%2582%25AC"));
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < 30; j++) {
                text.appendCodePoint(switch (random.nextInt(3)) {
                    case 0 -> 32 + random.nextInt(95);
                    case 1 -> 160 + random.nextInt(96);
                    default -> 0x1F600 + random.nextInt(50);
                });
            }
            samples.add(PagingCookies.encode(PagingCookies.encode(text.toString())));
            samples.add(URLEncoder.encode(URLEncoder.encode(text.toString(), StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
        }
        for (String sample : samples) {
            assertEquals(URLDecoder.decode(URLDecoder.decode(sample, StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                    PagingCookies.decodeTwice(sample), sample);
        }
        for (String malformed : List.of("%", "%2", "%zz", "a%25", "%25%", "%25%3")) {
            assertThrows(IllegalArgumentException.class, () -> PagingCookies.decodeTwice(malformed), malformed);
        }
    }
}
