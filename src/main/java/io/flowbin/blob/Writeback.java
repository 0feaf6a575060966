package io.flowbin.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts writing a file that is still being written to the disk, so that the fsync before its commit finds little
 * left to do and the disk works while the rest of the upload arrives: each time the file grows past a multiple of
 * {@value #EVERY} bytes, an fdatasync of it runs on one of at most {@value #THREADS} background threads. It is only a
 * head start, never what makes a blob durable, so it is skipped when all threads are busy. Thread-safe.
 */
final class Writeback implements AutoCloseable {
    static final long EVERY = 8L * 1024 * 1024;
    private static final int THREADS = 4;

    private final ThreadPoolExecutor threads = new ThreadPoolExecutor(0, THREADS, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Writeback::thread, new ThreadPoolExecutor.DiscardPolicy());

    private static Thread thread(Runnable task) {
        Thread thread = new Thread(task, "blob-writeback");
        thread.setDaemon(true);
        return thread;
    }

    /** Notes that bytes from {@code from} up to {@code to} of the file were written. */
    void written(Path file, long from, long to) {
        if (from / EVERY != to / EVERY) {
            threads.execute(() -> force(file));
        }
    }

    private static void force(Path file) {
        // a channel of its own: the writer may close its channel meanwhile
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (IOException committedOrDeleted) {
            // the file was renamed into place (and forced there) or deleted meanwhile: nothing to start
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
