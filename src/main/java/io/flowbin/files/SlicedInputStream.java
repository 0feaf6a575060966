package io.flowbin.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The next {@code length} bytes of a stream, then end of stream, leaving the rest unread; it tells whether the
 * underlying stream ended first. Closing it leaves the underlying stream open. Not thread-safe.
 */
final class SlicedInputStream extends FilterInputStream {
    private long remaining;
    private boolean sourceEnded;

    SlicedInputStream(InputStream in, long length) {
        super(in);
        this.remaining = length;
    }

    /** Whether the underlying stream ended within this slice. */
    boolean sourceEnded() {
        return sourceEnded;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int value = in.read();
        if (value < 0) {
            sourceEnded = true;
        } else {
            remaining--;
        }
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining <= 0) {
            return length == 0 ? 0 : -1;
        }
        int read = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (read < 0) {
            sourceEnded = true;
        } else {
            remaining -= read;
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }

    @Override
    public void close() {
        // the underlying request body stays open for the next slice
    }
}
