package io.flowbin.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Blobs as files under one folder: {@code committed/<2 chars>/<name>} with a {@code <name>.sha256} beside it, staged
 * blocks in {@code staged/<name>/} (see {@link StagedFolder}), and {@code tmp/} for files being written. Thread-safe.
 *
 * <p>Design note: blocks staged in the order they are committed in are appended to one file, which the commit forces
 * to disk and renames atomically into place, then it forces the folder, so a crash leaves the old state or the whole
 * new blob and every byte is written once; blocks in any other order are joined into a temporary file first. While
 * blocks are appended, {@link Writeback} starts writing them to the disk, so that the fsync at the commit finds little
 * left to do. Staged blocks need not survive a crash: upload sessions end with the process, so staged data is
 * discarded after a restart anyway. Leftovers in {@code tmp/} are removed when the store opens.
 */
final class FileSystemBlobStore implements BlobStore {
    private static final int COPY_BUFFER = 64 * 1024;
    private static final String CHECKSUM_SUFFIX = ".sha256";

    private final Path committed;
    private final Path staged;
    private final Path tmp;
    private final String description;
    private final Writeback writeback = new Writeback();
    private final BlockWriter writer = new BlockWriter(writeback);

    private FileSystemBlobStore(Path root) {
        this.committed = root.resolve("committed");
        this.staged = root.resolve("staged");
        this.tmp = root.resolve("tmp");
        this.description = "file system at " + root;
    }

    /** Opens (creating when needed) the store in this folder and removes files a crash left half-written. */
    static FileSystemBlobStore open(Path root) {
        FileSystemBlobStore store = new FileSystemBlobStore(root.toAbsolutePath());
        try {
            Files.createDirectories(store.committed);
            Files.createDirectories(store.staged);
            Files.createDirectories(store.tmp);
            deleteContents(store.tmp);
        } catch (IOException e) {
            throw new BlobStoreException("The blob folder " + root + " cannot be prepared", e);
        }
        return store;
    }

    @Override
    public long maxBlockBytes() {
        return Long.MAX_VALUE;
    }

    @Override
    public long stageBlock(String blobName, String blockId, InputStream content) {
        BlockIds.decode(blockId);
        StagedFolder folder = new StagedFolder(staged.resolve(BlobNames.check(blobName)));
        try {
            return folder.stage(blockId, content, tmp, writer);
        } catch (IOException e) {
            throw new BlobStoreException("Staging block " + blockId + " of blob " + blobName + " failed", e);
        }
    }

    @Override
    public List<StagedBlock> stagedBlocks(String blobName) {
        List<StagedBlock> blocks = new ArrayList<>();
        try {
            for (StagedFolder.Block block : new StagedFolder(staged.resolve(BlobNames.check(blobName))).blocks()) {
                blocks.add(new StagedBlock(block.id(), block.size()));
            }
        } catch (IOException e) {
            throw new BlobStoreException("Listing the staged blocks of blob " + blobName + " failed", e);
        }
        return blocks;
    }

    @Override
    public BlobInfo commit(String blobName, List<String> blockIds, @Nullable String sha256) {
        Path folderPath = staged.resolve(BlobNames.check(blobName));
        StagedFolder folder = new StagedFolder(folderPath);
        Path target = committedPath(blobName);
        Path joined = tmp.resolve(UUID.randomUUID().toString());
        try {
            List<StagedFolder.Block> blocks = new ArrayList<>();
            for (String blockId : blockIds) {
                StagedFolder.Block block = folder.block(blockId);
                if (block == null) {
                    throw new BlobStoreException("Block " + blockId + " of blob " + blobName + " was not staged");
                }
                blocks.add(block);
            }
            Files.createDirectories(target.getParent());
            Path content;
            Path own = blocks.size() == 1 ? blocks.get(0).file() : null;
            if (folder.fillAppendFile(blocks)) {
                content = folder.appendFile();
            } else if (own != null) {
                content = own;
            } else {
                join(blocks, folder.appendFile(), joined);
                content = joined;
            }
            force(content);
            move(content, target);
            forceFolder(target.getParent());
            if (sha256 != null) {
                putChecksum(blobName, sha256);
            } else {
                Files.deleteIfExists(checksumPath(blobName));
            }
            deleteTree(folderPath);
            return new BlobInfo(blobName, Files.size(target), sha256, Files.getLastModifiedTime(target).toInstant());
        } catch (IOException e) {
            throw new BlobStoreException("Committing blob " + blobName + " failed", e);
        } finally {
            deleteQuietly(joined);
        }
    }

    private static void join(List<StagedFolder.Block> blocks, Path append, Path joined) throws IOException {
        try (FileChannel out = FileChannel.open(joined, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            for (StagedFolder.Block block : blocks) {
                Path file = block.file();
                try (FileChannel in = FileChannel.open(file != null ? file : append, StandardOpenOption.READ)) {
                    long done = 0;
                    while (done < block.size()) {
                        long copied = in.transferTo(block.offset() + done, block.size() - done, out);
                        if (copied <= 0) {
                            throw new IOException("Staged block " + block.id() + " ended early");
                        }
                        done += copied;
                    }
                }
                position += block.size();
            }
            if (out.size() != position) {
                throw new IOException("The joined blocks hold " + out.size() + " bytes, not " + position);
            }
        }
    }

    @Override
    public void putChecksum(String blobName, String sha256) {
        Path partial = tmp.resolve(UUID.randomUUID().toString());
        try {
            Files.writeString(partial, sha256, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            move(partial, checksumPath(blobName));
        } catch (IOException e) {
            throw new BlobStoreException("Storing the checksum of blob " + blobName + " failed", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    @Override
    public Optional<BlobInfo> info(String blobName) {
        Path file = committedPath(BlobNames.check(blobName));
        try {
            long size = Files.size(file);
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            String sha256 = null;
            Path checksum = checksumPath(blobName);
            if (Files.exists(checksum)) {
                sha256 = Files.readString(checksum, StandardCharsets.US_ASCII).strip();
            }
            return Optional.of(new BlobInfo(blobName, size, sha256, modified));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlobStoreException("Reading the properties of blob " + blobName + " failed", e);
        }
    }

    @Override
    public void read(String blobName, long offset, long length, OutputStream out) {
        Path file = committedPath(BlobNames.check(blobName));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset < 0 || length < 0 || offset + length > in.size()) {
                throw new BlobStoreException("The range " + offset + "+" + length + " lies beyond the end of blob "
                        + blobName + " (" + in.size() + " bytes)");
            }
            byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(length, 1))];
            ByteBuffer view = ByteBuffer.wrap(buffer);
            long position = offset;
            long remaining = length;
            while (remaining > 0) {
                view.clear().limit((int) Math.min(buffer.length, remaining));
                int read = in.read(view, position);
                if (read < 0) {
                    throw new BlobStoreException("Blob " + blobName + " ended early");
                }
                out.write(buffer, 0, read);
                position += read;
                remaining -= read;
            }
        } catch (NoSuchFileException absent) {
            throw new BlobStoreException("Blob " + blobName + " does not exist", absent);
        } catch (IOException e) {
            // the client going away while the file is sent is the usual cause; the caller decides
            throw new UncheckedIOException("Sending blob " + blobName + " failed", e);
        }
    }

    @Override
    public void delete(String blobName) {
        BlobNames.check(blobName);
        try {
            Files.deleteIfExists(committedPath(blobName));
            Files.deleteIfExists(checksumPath(blobName));
            deleteTree(staged.resolve(blobName));
        } catch (IOException e) {
            throw new BlobStoreException("Deleting blob " + blobName + " failed", e);
        }
    }

    @Override
    public List<String> stagedBlobNames() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(staged)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (!Files.exists(committedPath(name))) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new BlobStoreException("Listing staged blobs under " + staged + " failed", e);
        }
        return names;
    }

    @Override
    public List<String> committedBlobNames(Instant modifiedBefore, int limit) {
        List<String> names = new ArrayList<>();
        FileTime before = FileTime.from(modifiedBefore);
        try (Stream<Path> files = Files.walk(committed, 2)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (names.size() >= limit) {
                    break;
                }
                String name = file.getFileName().toString();
                if (file.getNameCount() - committed.getNameCount() == 2 && !name.endsWith(CHECKSUM_SUFFIX)
                        && Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(before) < 0) {
                    names.add(name);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BlobStoreException("Listing committed blobs under " + committed + " failed", e);
        }
        return names;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        writeback.close();
    }

    private Path committedPath(String blobName) {
        return committed.resolve(blobName.substring(0, Math.min(2, blobName.length()))).resolve(blobName);
    }

    private Path checksumPath(String blobName) {
        Path data = committedPath(blobName);
        return data.resolveSibling(blobName + CHECKSUM_SUFFIX);
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The blob folder's file system cannot rename atomically", e);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            // some platforms cannot open a folder for syncing; the rename itself is still atomic there
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException | UncheckedIOException concurrentlyDeleted) {
            // another cleanup removed it first
        }
    }

    private static void deleteContents(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                deleteTree(entry);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover in tmp/ is removed when the store opens next
        }
    }
}
