package io.flowbin.http;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * Where Web API requests on one row run once they leave the I/O thread (see {@code WebApiHandler}): a virtual thread
 * each, at most {@code limit} of them running at once (the others wait for a turn in arrival order).
 *
 * <p>Why virtual threads: a request spends much of its time waiting for the database, and on a machine with few cores
 * waking a parked platform worker (and letting it sleep again on the database socket) costs about as much as the
 * request's own work; virtual threads switch on the carriers without the kernel. They are used only on Java 24 or
 * newer, where a virtual thread that blocks inside {@code synchronized} code (as the JDBC drivers and the embedded
 * database do) no longer holds its carrier; on older runtimes the requests run on the server's worker pool.
 *
 * <p>Waiting requests are bounded by the open connections: a connection has at most one request in progress.
 * Thread-safe.
 */
public final class RequestThreads implements Executor {
    /** The first Java release whose virtual threads release their carrier when blocking in synchronized code. */
    static final int FIRST_UNPINNED_RELEASE = 24;

    private final Semaphore turns;
    private final Thread.Builder threads = Thread.ofVirtual().name("flowbin-request-", 0);

    private RequestThreads(int limit) {
        this.turns = new Semaphore(limit, true);
    }

    /** Virtual request threads, at most {@code limit} running, or null when this runtime should use the pool. */
    public static @Nullable Executor forRuntime(int limit) {
        return Runtime.version().feature() >= FIRST_UNPINNED_RELEASE ? new RequestThreads(limit) : null;
    }

    @Override
    public void execute(Runnable request) {
        threads.start(() -> {
            turns.acquireUninterruptibly();
            try {
                request.run();
            } finally {
                turns.release();
            }
        });
    }
}
