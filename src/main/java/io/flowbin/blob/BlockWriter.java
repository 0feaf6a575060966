package io.flowbin.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Writes a block's content into a file. Content that is also a channel is read into a direct buffer and written from
 * it, so that its bytes are copied only by the kernel; buffers are pooled, at most {@value #POOLED} of them, and one
 * is in use per write in progress. Other content goes through a heap buffer. Files being appended to are handed to
 * {@link Writeback} as they grow. Thread-safe.
 */
final class BlockWriter {
    static final int BUFFER_BYTES = 256 * 1024;
    private static final int POOLED = 16;
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    private final ArrayBlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(POOLED);
    private final Writeback writeback;

    BlockWriter(Writeback writeback) {
        this.writeback = writeback;
    }

    /**
     * Writes the content, read to its end, into the file from {@code position}; returns the bytes written.
     *
     * @param path the file's path, to start writing it to disk as it grows, or null for a small file
     */
    long write(InputStream content, FileChannel file, long position, @Nullable Path path) throws IOException {
        if (content instanceof ReadableByteChannel channel) {
            return write(channel, file, position, path);
        }
        byte[] bytes = new byte[STREAM_BUFFER_BYTES];
        ByteBuffer view = ByteBuffer.wrap(bytes);
        long written = 0;
        int read;
        while ((read = content.read(bytes)) >= 0) {
            view.clear().limit(read);
            written += writeFully(view, file, position + written, path);
        }
        return written;
    }

    private long write(ReadableByteChannel content, FileChannel file, long position, @Nullable Path path)
            throws IOException {
        ByteBuffer buffer = take();
        try {
            long written = 0;
            boolean ended = false;
            while (!ended) {
                buffer.clear();
                // fill the buffer before writing: fewer, larger writes
                while (buffer.hasRemaining()) {
                    if (content.read(buffer) < 0) {
                        ended = true;
                        break;
                    }
                }
                buffer.flip();
                written += writeFully(buffer, file, position + written, path);
            }
            return written;
        } finally {
            buffers.offer(buffer);
        }
    }

    private int writeFully(ByteBuffer buffer, FileChannel file, long position, @Nullable Path path)
            throws IOException {
        int length = buffer.remaining();
        int done = 0;
        while (done < length) {
            done += file.write(buffer, position + done);
        }
        if (path != null) {
            writeback.written(path, position, position + length);
        }
        return length;
    }

    private ByteBuffer take() {
        ByteBuffer pooled = buffers.poll();
        return pooled != null ? pooled : ByteBuffer.allocateDirect(BUFFER_BYTES);
    }
}
