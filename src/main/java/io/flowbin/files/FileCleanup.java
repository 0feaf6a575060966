package io.flowbin.files;

import io.flowbin.blob.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what unfinished and failed uploads leave in the blob store, on one background thread: at start (and with
 * every sweep) staged blobs that no recorded upload owns (an upload whose record went, or one from before uploads
 * were recorded); every {@value #PERIOD_SECONDS} seconds (more often for a timeout under two minutes) the records and blocks of expired uploads, those of a node
 * that died included; and every {@value #SWEEP_HOURS} hours (and once at start) committed blobs that no
 * fileattachment row names and that are older than {@link #ORPHAN_GRACE} (a crash between the blob's commit and the
 * database's, or a failed delete). Each pass looks at most at {@value #SWEEP_LIMIT} blobs. Every node runs it; what
 * one removes the others skip. Thread-safe.
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
    private final long periodMillis;

    FileCleanup(BlobStore blobs, Attachments attachments, UploadSessions sessions, Clock clock,
            Duration idleTimeout) {
        this.blobs = blobs;
        // a short timeout is looked at more often, so that an upload ends within about a quarter of it
        this.periodMillis = Math.max(1000, Math.min(PERIOD_SECONDS * 1000, idleTimeout.toMillis() / 4));
        this.attachments = attachments;
        this.sessions = sessions;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "flowbin-file-cleanup");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Removes staged blobs that no upload owns now, then schedules the passes. */
    void start() {
        sweepStaged();
        scheduler.execute(this::sweepCommitted); // the staged ones were just swept
        scheduler.scheduleWithFixedDelay(this, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::sweepOrphans, SWEEP_HOURS, SWEEP_HOURS, TimeUnit.HOURS);
    }

    /** Deletes the records and staged blocks of expired uploads. Never throws. */
    @Override
    public void run() {
        try {
            for (UploadSessions.Expired expired : sessions.removeExpired()) {
                if (!expired.completed()) {
                    blobs.delete(expired.blobName());
                }
            }
        } catch (RuntimeException failure) {
            LOG.warn("Removing expired uploads failed; the next pass retries", failure);
        }
    }

    /**
     * Deletes staged blobs that no recorded upload owns. An upload is recorded before it stages anything, and its
     * record goes in the transaction that makes its blob a file, so a staged blob without a record is dead unless it
     * has just become a file: that is checked last. Never throws.
     */
    void sweepStaged() {
        try {
            int removed = removeUnused(blobs.stagedBlobNames());
            if (removed > 0) {
                LOG.info("Removed the staged blocks of {} uploads that no longer exist", removed);
            }
        } catch (RuntimeException failure) {
            LOG.warn("Removing the staged blocks of uploads that no longer exist failed; the next sweep retries",
                    failure);
        }
    }

    /** Deletes committed blobs that no file refers to, and staged ones no upload owns. Never throws. */
    void sweepOrphans() {
        sweepStaged();
        sweepCommitted();
    }

    /** Deletes committed blobs older than {@link #ORPHAN_GRACE} that no file refers to. Never throws. */
    private void sweepCommitted() {
        try {
            int removed = removeUnused(blobs.committedBlobNames(clock.instant().minus(ORPHAN_GRACE), SWEEP_LIMIT));
            if (removed > 0) {
                LOG.info("Removed {} blobs that no file refers to", removed);
            }
        } catch (RuntimeException failure) {
            LOG.warn("Sweeping blobs that no file refers to failed; the next sweep retries", failure);
        }
    }

    /**
     * Deletes those of the blobs that no upload owns and no file uses, in that order of checks (a blob stops being
     * an upload's in the transaction that makes it a file); returns how many.
     */
    private int removeUnused(List<String> blobNames) {
        int removed = 0;
        for (String blobName : blobNames) {
            if (!sessions.ownsBlob(blobName) && !attachments.isReferenced(blobName)) {
                blobs.delete(blobName);
                removed++;
            }
        }
        return removed;
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
