package io.flowbin.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An upload's bytes on their way into the blob store, read slice by slice (one slice a block): it refuses the first
 * byte beyond the upload's limit with the given error, so that an oversized upload fails while it streams and the
 * excess is never stored, and it feeds every byte it passes on to a digest, on a thread of its own
 * ({@link ParallelDigest}). When the request body can be read as a channel, so can this, and the store reads the bytes
 * straight into its own buffer. Not thread-safe.
 */
final class UploadBody extends InputStream implements ReadableByteChannel {
    private final InputStream source;
    private final @Nullable ReadableByteChannel channel;
    private final Supplier<? extends RuntimeException> exceeded;
    private final @Nullable ParallelDigest digest;
    private long allowed;
    private long sliceRemaining = Long.MAX_VALUE;
    private boolean sourceEnded;
    private byte @Nullable [] streamBuffer;

    /**
     * @param limit how many bytes the upload may have; one more fails with {@code exceeded}
     * @param digest fed with the bytes passed on, or null; read it after {@link #finishDigest()}
     */
    UploadBody(InputStream source, long limit, Supplier<? extends RuntimeException> exceeded,
            @Nullable MessageDigest digest) {
        this.source = source;
        this.channel = source instanceof ReadableByteChannel readable ? readable : null;
        this.allowed = limit;
        this.exceeded = exceeded;
        this.digest = digest == null ? null : new ParallelDigest(digest);
    }

    /** Ends what is read from now on after the next {@code length} bytes, leaving the rest for the next slice. */
    UploadBody slice(long length) {
        sliceRemaining = length;
        return this;
    }

    /** Waits until every byte passed on is in the digest. Call it once the bytes are read, and also on failure. */
    void finishDigest() {
        if (digest != null) {
            digest.finish();
        }
    }

    /** Whether the request body has ended (within the current slice or before). */
    boolean sourceEnded() {
        return sourceEnded;
    }

    @Override
    public int read() throws IOException {
        byte[] single = new byte[1];
        int read = read(single, 0, 1);
        return read < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (sliceRemaining <= 0 || sourceEnded) {
            return length == 0 ? 0 : -1;
        }
        int read = source.read(buffer, offset, (int) Math.min(length, wanted()));
        if (passed(read) && digest != null) {
            digest.update(buffer, offset, read);
        }
        return read;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        if (sliceRemaining <= 0 || sourceEnded) {
            return target.hasRemaining() ? -1 : 0;
        }
        int start = target.position();
        int limit = target.limit();
        target.limit((int) Math.min(limit, start + wanted()));
        int read;
        try {
            read = channel != null ? channel.read(target) : readStream(target);
        } finally {
            target.limit(limit);
        }
        if (passed(read) && digest != null) {
            digest.update(target.slice(start, read));
        }
        return read;
    }

    private int readStream(ByteBuffer target) throws IOException {
        byte[] buffer = streamBuffer;
        if (buffer == null) {
            buffer = new byte[64 * 1024];
            streamBuffer = buffer;
        }
        int read = source.read(buffer, 0, Math.min(buffer.length, target.remaining()));
        if (read > 0) {
            target.put(buffer, 0, read);
        }
        return read;
    }

    /** What the next read may ask for: the rest of the slice, or one byte beyond the limit, to see an excess. */
    private long wanted() {
        return Math.min(sliceRemaining, allowed == Long.MAX_VALUE ? allowed : allowed + 1);
    }

    /** Counts a read; returns whether it passed bytes on. */
    private boolean passed(int read) {
        if (read < 0) {
            sourceEnded = true;
            return false;
        }
        allowed -= read;
        if (allowed < 0) {
            throw exceeded.get();
        }
        sliceRemaining -= read;
        return read > 0;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    /** Leaves the request body open for the next slice. */
    @Override
    public void close() {
        // the request body belongs to the web server
    }
}
