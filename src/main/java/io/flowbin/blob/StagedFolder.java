package io.flowbin.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The staged blocks of one blob, in its folder. A block staged for the first time is appended to the folder's
 * {@code append} file and named by a marker {@code <hex id>.at} holding its offset and length there; a block staged
 * again gets a file of its own, {@code <hex id>}. Blocks that arrive in the order they are committed in, as uploads
 * in one request or in chunks do, are so written once and committed by renaming the append file. Not thread-safe:
 * one blob is never written concurrently.
 */
final class StagedFolder {
    static final String APPEND = "append";
    private static final String MARKER_SUFFIX = ".at";

    private final Path folder;

    /**
     * One staged block: in a file of its own, or at an offset of the append file.
     *
     * @param file the block's own file, or null when it lies in the append file
     */
    record Block(String id, @Nullable Path file, long offset, long size) {}

    StagedFolder(Path folder) {
        this.folder = folder;
    }

    Path appendFile() {
        return folder.resolve(APPEND);
    }

    /**
     * Stages the block from the content, read to its end. A failure leaves the folder as it was.
     *
     * @param tmp the folder for files being written
     * @return the bytes staged
     */
    long stage(String blockId, InputStream content, Path tmp, BlockWriter writer) throws IOException {
        String hex = BlockIds.toHex(blockId);
        Path own = folder.resolve(hex);
        Path marker = folder.resolve(hex + MARKER_SUFFIX);
        Files.createDirectories(folder);
        if (!Files.exists(marker) && !Files.exists(own)) {
            return append(content, marker, writer);
        }
        // staged again: the earlier bytes stay in the append file, unreferenced, until the commit or deletion
        Path partial = tmp.resolve(UUID.randomUUID().toString());
        try {
            long written;
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                written = writer.write(content, out, 0, null);
            }
            FileSystemBlobStore.move(partial, own);
            Files.deleteIfExists(marker);
            return written;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private long append(InputStream content, Path marker, BlockWriter writer) throws IOException {
        try (FileChannel append = FileChannel.open(appendFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long offset = append.size();
            try {
                long written = writer.write(content, append, offset, appendFile());
                ByteBuffer location = ByteBuffer.allocate(2 * Long.BYTES).putLong(offset).putLong(written).flip();
                try (FileChannel out = FileChannel.open(marker, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    out.write(location);
                }
                return written;
            } catch (IOException | RuntimeException failure) {
                try {
                    Files.deleteIfExists(marker);
                    append.truncate(offset);
                } catch (IOException truncateFailure) {
                    failure.addSuppressed(truncateFailure); // the bytes stay unreferenced until the blob is deleted
                }
                throw failure;
            }
        }
    }

    /** The staged blocks, in no particular order; empty when there are none. */
    List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.equals(APPEND)) {
                    continue;
                }
                if (name.endsWith(MARKER_SUFFIX)) {
                    blocks.add(fromMarker(BlockIds.fromHex(name.substring(0, name.length() - MARKER_SUFFIX.length())),
                            file));
                } else {
                    blocks.add(new Block(BlockIds.fromHex(name), file, 0, Files.size(file)));
                }
            }
        } catch (NoSuchFileException gone) {
            return List.of();
        }
        return blocks;
    }

    /** The staged block of this id, or null when it was not staged. */
    @Nullable Block block(String blockId) throws IOException {
        String hex = BlockIds.toHex(blockId);
        Path own = folder.resolve(hex);
        if (Files.isRegularFile(own)) {
            return new Block(blockId, own, 0, Files.size(own));
        }
        Path marker = folder.resolve(hex + MARKER_SUFFIX);
        try {
            return fromMarker(blockId, marker);
        } catch (NoSuchFileException notStaged) {
            return null;
        }
    }

    /**
     * Whether these blocks, in this order, are the whole append file from its start, so that it is the blob's content
     * as it is.
     */
    boolean fillAppendFile(List<Block> blocks) throws IOException {
        long end = 0;
        for (Block block : blocks) {
            if (block.file() != null || block.offset() != end) {
                return false;
            }
            end += block.size();
        }
        Path append = appendFile();
        return !blocks.isEmpty() && Files.isRegularFile(append) && Files.size(append) == end;
    }

    private static Block fromMarker(String blockId, Path marker) throws IOException {
        ByteBuffer location = ByteBuffer.wrap(Files.readAllBytes(marker));
        if (location.remaining() != 2 * Long.BYTES) {
            throw new IOException("The block marker " + marker + " is damaged");
        }
        return new Block(blockId, null, location.getLong(), location.getLong());
    }
}
