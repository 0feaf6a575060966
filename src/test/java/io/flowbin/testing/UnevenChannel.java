package io.flowbin.testing;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Random;

/**
 * Bytes readable as a stream and as a channel, as a request body is, in reads of uneven sizes (1 to
 * {@code maxRead} bytes, from a seeded random). Not thread-safe.
 */
public final class UnevenChannel extends InputStream implements ReadableByteChannel {
    private final byte[] bytes;
    private final Random sizes;
    private final int maxRead;
    private int position;

    public UnevenChannel(byte[] bytes, long seed, int maxRead) {
        this.bytes = bytes;
        this.sizes = new Random(seed);
        this.maxRead = maxRead;
    }

    @Override
    public int read() {
        return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position == bytes.length) {
            return length == 0 ? 0 : -1;
        }
        int count = next(length);
        System.arraycopy(bytes, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public int read(ByteBuffer target) {
        if (position == bytes.length) {
            return -1;
        }
        int count = next(target.remaining());
        target.put(bytes, position, count);
        position += count;
        return count;
    }

    private int next(int room) {
        return Math.min(Math.min(room, bytes.length - position), 1 + sizes.nextInt(maxRead));
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
