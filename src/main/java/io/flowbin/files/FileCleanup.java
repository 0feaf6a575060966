package io.flowbin.files;

import io.flowbin.blob.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what unfinished and failed uploads leave in the blob store, on one background thread: at start every
 * staged blob (upload sessions do not outlive the process); then every {@value #PERIOD_SECONDS} seconds the blocks
 * of expired sessions; and every {@value #SWEEP_HOURS} hours (and once at start) committed blobs that no
 * fileattachment row names and that are older than {@link #ORPHAN_GRACE} (a crash between the blob's commit and the
 * database's, or a failed delete). Each pass looks at most at {@value #SWEEP_LIMIT} blobs. Thread-safe.
 */
final class FileCleanup implements Runnable, AutoCloseable {
    static final long PERIOD_SECONDS = 30;
    static final long SWEEP_HOURS = 6;
    static final int SWEEP_LIMIT = 100_000;
    /** Younger blobs may belong to an upload whose database transaction has not committed yet. */
    static final Duration ORPHAN_GRACE = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(FileCleanup.class);

    private final BlobStore blobs;
    private final Attachments attachments;
    private final UploadSessions sessions;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    FileCleanup(BlobStore blobs, Attachments attachments, UploadSessions sessions, Clock clock) {
        this.blobs = blobs;
        this.attachments = attachments;
        this.sessions = sessions;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "flowbin-file-cleanup");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Removes the staged blobs of earlier runs now, then schedules the passes. */
    void start() {
        int removed = 0;
        for (String blobName : blobs.stagedBlobNames()) {
            if (!sessions.ownsBlob(blobName)) {
                blobs.delete(blobName);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("Removed the staged blocks of {} uploads that did not finish before the last stop", removed);
        }
        scheduler.scheduleWithFixedDelay(this, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::sweepOrphans, 0, SWEEP_HOURS, TimeUnit.HOURS);
    }

    /** Deletes the staged blocks of expired upload sessions. Never throws. */
    @Override
    public void run() {
        try {
            for (UploadSession session : sessions.removeExpired()) {
                if (session.completed == null) {
                    blobs.delete(session.blobName());
                }
            }
        } catch (RuntimeException failure) {
            LOG.warn("Removing expired uploads failed; the next pass retries", failure);
        }
    }

    /** Deletes committed blobs that no file refers to. Never throws. */
    void sweepOrphans() {
        try {
            Instant before = clock.instant().minus(ORPHAN_GRACE);
            int removed = 0;
            for (String blobName : blobs.committedBlobNames(before, SWEEP_LIMIT)) {
                if (!sessions.ownsBlob(blobName) && !attachments.isReferenced(blobName)) {
                    blobs.delete(blobName);
                    removed++;
                }
            }
            if (removed > 0) {
                LOG.info("Removed {} blobs that no file refers to", removed);
            }
        } catch (RuntimeException failure) {
            LOG.warn("Sweeping blobs that no file refers to failed; the next sweep retries", failure);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
