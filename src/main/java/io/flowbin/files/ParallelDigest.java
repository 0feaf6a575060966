package io.flowbin.files;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a digest on a virtual thread of its own, so that hashing an upload overlaps receiving and writing it: the
 * bytes are copied into at most {@value #SEGMENTS} segments of {@value #SEGMENT_BYTES} bytes, which that thread
 * hashes in order; the caller waits only when all segments are still to be hashed. Fewer bytes than one segment are
 * hashed by the caller. One thread feeds it and then calls {@link #finish()}; not thread-safe otherwise.
 */
final class ParallelDigest {
    static final int SEGMENT_BYTES = 128 * 1024;
    static final int SEGMENTS = 4;
    private static final Segment END = new Segment(new byte[0], 0);

    private final MessageDigest digest;
    private final BlockingQueue<Segment> filled = new ArrayBlockingQueue<>(SEGMENTS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(SEGMENTS);
    private int allocated;
    private byte @Nullable [] current;
    private int used;
    private @Nullable Thread hasher;
    private volatile @Nullable RuntimeException failure;

    private record Segment(byte[] bytes, int length) {}

    ParallelDigest(MessageDigest digest) {
        this.digest = digest;
    }

    void update(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte[] segment = segment();
            int count = Math.min(bytes.remaining(), segment.length - used);
            bytes.get(segment, used, count);
            filledUp(count);
        }
    }

    void update(byte[] bytes, int offset, int length) {
        int done = 0;
        while (done < length) {
            byte[] segment = segment();
            int count = Math.min(length - done, segment.length - used);
            System.arraycopy(bytes, offset + done, segment, used, count);
            done += count;
            filledUp(count);
        }
    }

    /**
     * Waits until every byte fed in is hashed and ends the digest's thread; returns the digest, ready to be read.
     * Call it also when the upload fails, so that the thread ends.
     */
    MessageDigest finish() {
        byte[] partial = current;
        if (hasher == null) {
            if (partial != null) {
                digest.update(partial, 0, used);
            }
        } else {
            if (partial != null && used > 0) {
                handOver(new Segment(partial, used));
            }
            handOver(END);
            try {
                hasher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for an upload's checksum", e);
            }
            hasher = null;
        }
        current = null;
        used = 0;
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
        return digest;
    }

    private byte[] segment() {
        byte[] segment = current;
        if (segment != null) {
            return segment;
        }
        segment = free.poll();
        if (segment == null && allocated < SEGMENTS) {
            allocated++;
            segment = new byte[SEGMENT_BYTES];
        }
        if (segment == null) {
            try {
                segment = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while hashing an upload", e);
            }
        }
        current = segment;
        used = 0;
        return segment;
    }

    private void filledUp(int count) {
        used += count;
        byte[] segment = current;
        if (segment != null && used == segment.length) {
            if (hasher == null) {
                hasher = Thread.ofVirtual().name("upload-digest").start(this::hash);
            }
            handOver(new Segment(segment, used));
            current = null;
            used = 0;
        }
    }

    private void handOver(Segment segment) {
        try {
            filled.put(segment);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while hashing an upload", e);
        }
    }

    private void hash() {
        try {
            while (true) {
                Segment segment = filled.take();
                if (segment == END) {
                    return;
                }
                if (failure == null) {
                    try {
                        digest.update(segment.bytes(), 0, segment.length());
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                free.put(segment.bytes());
            }
        } catch (InterruptedException e) {
            failure = new IllegalStateException("Interrupted while hashing an upload", e);
        }
    }
}
