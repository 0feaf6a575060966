package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Concurrent reads by key share statements, and each still gets its own row, absence or failure. */
final class KeyReadsTest {
    private final KeyReads<String, String> reads = new KeyReads<>();

    @Test
    void aLoneReadRunsItsOwnStatementAtOnce() {
        List<List<UUID>> statements = new ArrayList<>();
        UUID id = UUID.randomUUID();
        String row = reads.select("t", id, ids -> {
            statements.add(ids);
            return Map.of(id, "row " + id);
        });
        assertEquals("row " + id, row);
        assertEquals(List.of(List.of(id)), statements);
        assertNull(reads.select("t", UUID.randomUUID(), ids -> Map.of()), "no such row");
    }

    @Test
    void readsThatWaitShareTheNextStatementAndEachGetsItsRow() throws Exception {
        int threads = 24;
        int perThread = 200;
        Map<UUID, String> table = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            if (i % 5 != 0) {
                table.put(id, "row " + id); // every fifth id has no row
            }
        }
        AtomicInteger statements = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger largest = new AtomicInteger();
        Function<List<UUID>, Map<UUID, String>> reader = keys -> {
            statements.incrementAndGet();
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            largest.accumulateAndGet(keys.size(), Math::max);
            assertEquals(keys.size(), keys.stream().distinct().count(), "ids are distinct in a statement");
            try {
                Thread.sleep(1); // a round trip
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            Map<UUID, String> found = new HashMap<>();
            keys.forEach(key -> {
                if (table.containsKey(key)) {
                    found.put(key, table.get(key));
                }
            });
            return found;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < perThread; i++) {
                        UUID id = ids.get((seed * 31 + i * 7) % ids.size());
                        assertEquals(table.get(id), reads.select("shape", id, reader));
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(perThread, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        int total = threads * perThread;
        assertTrue(statements.get() < total / 2, statements.get() + " statements for " + total + " reads");
        assertTrue(mostRunning.get() <= KeyReads.MAX_RUNNING, "at most " + KeyReads.MAX_RUNNING + " at once");
        assertTrue(largest.get() <= KeyReads.MAX_KEYS);
        assertTrue(largest.get() > 1);
    }

    @Test
    void aFailingStatementFailsEveryReadItCarriedAndLaterReadsRunAgain() throws Exception {
        IllegalStateException failure = new IllegalStateException("the database is gone");
        CountDownLatch firstRunning = new CountDownLatch(KeyReads.MAX_RUNNING);
        CountDownLatch release = new CountDownLatch(1);
        Map<UUID, Throwable> outcomes = new ConcurrentHashMap<>();
        Function<List<UUID>, Map<UUID, String>> failing = keys -> {
            firstRunning.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw failure;
        };
        int readers = KeyReads.MAX_RUNNING + 6;
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                UUID id = UUID.randomUUID();
                results.add(pool.submit(() -> {
                    try {
                        reads.select("shape", id, failing);
                    } catch (IllegalStateException e) {
                        outcomes.put(id, e);
                    }
                }));
                if (i == KeyReads.MAX_RUNNING - 1) {
                    assertTrue(firstRunning.await(10, TimeUnit.SECONDS)); // the others wait behind these
                }
            }
            Thread.sleep(100);
            release.countDown();
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(readers, outcomes.size());
        outcomes.values().forEach(thrown -> assertSame(failure, thrown));
        UUID id = UUID.randomUUID();
        assertEquals("fine", reads.select("shape", id, keys -> Map.of(id, "fine")));
        assertThrows(IllegalStateException.class, () -> reads.select("shape", id, keys -> {
            throw new IllegalStateException("once more");
        }));
    }
}
