package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowIdsTest {
    @Test
    void idsAreVersion7WithTheCurrentTimeAndTheRfcVariant() {
        long before = System.currentTimeMillis();
        UUID id = RowIds.next();
        long after = System.currentTimeMillis();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        long millis = id.getMostSignificantBits() >>> 16;
        // ahead of the clock only by what a burst borrowed from the next milliseconds (4,096 ids each)
        assertTrue(millis >= before && millis <= after + 1_000, "time part " + millis);
    }

    @Test
    void laterIdsCompareGreaterAsTheDatabasesCompareThem() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RowIds.next());
        }
        assertEquals(ids.size(), new HashSet<>(ids).size());
        for (int i = 1; i < ids.size(); i++) {
            // PostgreSQL and H2 compare a uuid as unsigned bytes, most significant first
            UUID previous = ids.get(i - 1);
            UUID current = ids.get(i);
            int high = Long.compareUnsigned(previous.getMostSignificantBits(), current.getMostSignificantBits());
            assertTrue(high < 0 || high == 0 && Long.compareUnsigned(previous.getLeastSignificantBits(),
                    current.getLeastSignificantBits()) < 0, previous + " then " + current);
            assertTrue(high < 0, "the time and sequence alone order them: " + previous + " then " + current);
        }
    }
}
