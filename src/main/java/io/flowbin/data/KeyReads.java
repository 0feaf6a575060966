package io.flowbin.data;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads of single rows by key that arrive while others of the same shape (table and columns) are running share one
 * statement (its text is the caller's: {@code RecordStore} joins single-key selects with {@code UNION ALL}).
 *
 * <p>Why: a read by key costs the database little, but each statement is a round trip, and on a small machine the
 * round trip (the socket write, waking the database's process, waking the request's thread with the answer) costs
 * more than the rest of the request. When at most {@link #MAX_RUNNING} statements of a shape are running, a read
 * runs its own statement at once, as before; beyond that it waits, and the next statement to go out takes all the
 * waiting keys (up to {@link #MAX_KEYS}). A read never waits for a statement that started before it arrived, so it
 * sees every change committed before it was asked for.
 *
 * <p>A failing statement fails every read it carried. Waiting reads are bounded by the callers' threads. Thread-safe.
 *
 * @param <S> the shape of a read: reads of equal shapes may share a statement
 * @param <R> a row as read
 */
final class KeyReads<S, R> {
    /** The most keys one statement reads; a power of two. */
    static final int MAX_KEYS = 64;
    /** Statements of one shape running at once before reads wait to share the next one. */
    static final int MAX_RUNNING = 2;

    // one queue per shape; a shape evicted while in use keeps working for the reads that hold it
    private final Cache<S, Shape<R>> shapes = Caffeine.newBuilder().maximumSize(1_024).build();

    /**
     * The row with this id, or null when none; {@code reader} reads the rows of up to {@link #MAX_KEYS} distinct ids
     * in one statement and returns them by id (absent ids are missing).
     */
    @Nullable R select(S shape, UUID id, Function<List<UUID>, Map<UUID, R>> reader) {
        return shapes.get(shape, key -> new Shape<>()).select(id, reader);
    }

    /** The reads of one shape: how many statements run, and the reads waiting to share the next one. */
    private static final class Shape<R> {
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Read<R>> waiting = new ArrayDeque<>();
        private int running;

        @Nullable R select(UUID id, Function<List<UUID>, Map<UUID, R>> reader) {
            Read<R> read = new Read<>(id);
            boolean runNow;
            lock.lock();
            try {
                runNow = running < MAX_RUNNING;
                if (runNow) {
                    running++;
                } else {
                    waiting.add(read);
                }
            } finally {
                lock.unlock();
            }
            if (runNow) {
                run(List.of(read), reader);
            } else {
                List<Read<R>> batch = read.awaitTurnOrResult();
                if (batch != null) {
                    run(batch, reader);
                }
            }
            return read.result();
        }

        /**
         * Runs one statement for the reads, hands each its row, then hands the running slot to the oldest waiting read
         * with every waiting read it can carry, or gives the slot up when none waits.
         */
        private void run(List<Read<R>> batch, Function<List<UUID>, Map<UUID, R>> reader) {
            try {
                LinkedHashSet<UUID> ids = new LinkedHashSet<>();
                batch.forEach(read -> ids.add(read.id));
                Map<UUID, R> rows = reader.apply(List.copyOf(ids));
                batch.forEach(read -> read.complete(rows.get(read.id), null));
            } catch (RuntimeException | Error failure) {
                batch.forEach(read -> read.complete(null, failure));
            } finally {
                List<Read<R>> next = new ArrayList<>();
                lock.lock();
                try {
                    while (next.size() < MAX_KEYS && !waiting.isEmpty()) {
                        next.add(waiting.poll());
                    }
                    if (next.isEmpty()) {
                        running--;
                    }
                } finally {
                    lock.unlock();
                }
                if (!next.isEmpty()) {
                    next.get(0).takeTurn(next);
                }
            }
        }
    }

    /** One read: its id, then either its row (or failure) or the batch it is to run itself. */
    private static final class Read<R> {
        final UUID id;
        private final Thread reader = Thread.currentThread();
        private volatile boolean done;
        private volatile @Nullable List<Read<R>> turn;
        private @Nullable R row;
        private @Nullable Throwable failure;

        Read(UUID id) {
            this.id = id;
        }

        void complete(@Nullable R row, @Nullable Throwable failure) {
            this.row = row;
            this.failure = failure;
            done = true; // publishes row and failure
            if (reader != Thread.currentThread()) {
                LockSupport.unpark(reader);
            }
        }

        void takeTurn(List<Read<R>> batch) {
            turn = batch;
            LockSupport.unpark(reader);
        }

        /** Waits until another statement brought this read's row, or it is this read's turn to run the batch given. */
        @Nullable List<Read<R>> awaitTurnOrResult() {
            while (!done) {
                List<Read<R>> batch = turn;
                if (batch != null) {
                    return batch;
                }
                LockSupport.park(this);
            }
            return null;
        }

        @Nullable R result() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return row;
        }
    }
}
