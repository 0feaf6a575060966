package io.flowbin.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Passes at most {@code limit} bytes through and fails with the given error on the first byte beyond it, so that
 * an oversized upload is refused while it streams, before the excess is stored. Not thread-safe.
 */
final class LimitedInputStream extends FilterInputStream {
    private final Supplier<RuntimeException> exceeded;
    private long remaining;

    LimitedInputStream(InputStream in, long limit, Supplier<RuntimeException> exceeded) {
        super(in);
        this.remaining = limit;
        this.exceeded = exceeded;
    }

    @Override
    public int read() throws IOException {
        int value = in.read();
        if (value >= 0 && --remaining < 0) {
            throw exceeded.get();
        }
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // ask for one byte more than allowed, so that the excess is seen without being passed on
        int read = in.read(buffer, offset, (int) Math.min(length, Math.max(remaining + 1, 1)));
        if (read > 0) {
            remaining -= read;
            if (remaining < 0) {
                throw exceeded.get();
            }
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }
}
