package io.flowbin.odata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/** Date and time literals read the same in every form, in UTC, and impossible dates are refused. */
final class LiteralValuesTest {
    @Test
    void theServersOwnFormReadsAsTheFormatterReadsIt() {
        for (String text : new String[] {"2024-01-01T06:10:50Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:00Z"}) {
            assertEquals(OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC),
                    LiteralValues.parseDateTime(text), text);
        }
    }

    @Test
    void otherFormsAreReadInUtc() {
        assertEquals(OffsetDateTime.of(2024, 1, 1, 4, 10, 50, 0, ZoneOffset.UTC),
                LiteralValues.parseDateTime("2024-01-01T06:10:50+02:00"));
        assertEquals(OffsetDateTime.of(2024, 1, 1, 6, 10, 50, 500_000_000, ZoneOffset.UTC),
                LiteralValues.parseDateTime("2024-01-01T06:10:50.5Z"));
        assertEquals(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                LiteralValues.parseDateTime("2024-01-01"));
    }

    @Test
    void impossibleDatesAndTimesAreRefused() {
        for (String text : new String[] {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T25:00:00Z",
                "2024-01-01T00:00:6xZ", "2024-01-01T00:00:00z"}) {
            assertThrows(DateTimeParseException.class, () -> LiteralValues.parseDateTime(text), text);
        }
    }
}
