package io.thumbnail.internal.blob;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.UUID;

/**
 * The {@link BlobStore} in a folder of the local disk: a blob is the file {@code root/ab/<sha256>}, complete once it
 * exists (written to a temporary file in the same folder, forced to disk, then renamed atomically). Large files are
 * written, and originals read back, with {@code O_DIRECT} ({@link DirectIo}); an upload is received into
 * {@code root/incoming} (directly too) and stored by a rename, never a copy.
 *
 * <p>One level of 256 folders, as git does, all made when the store is: every write lands in a folder that exists.
 * With a second level (65,536 folders, the layout of earlier versions, moved up when a store opens) nearly
 * every file of a store's first hundred thousand made a folder, and made it durable in its parent: two more
 * directory writes and fsyncs per file. A million files are still only about 4,000 a folder.
 */
public final class LocalBlobStore implements BlobStore {
    static final String TEMP_SUFFIX = ".tmp";
    static final String INCOMING = "incoming";

    private final Path root;
    private final Path incoming;
    private final StoreHealth health;
    private final DiskFailures failures;
    private final DirectIo direct;
    private final int storedAtOpen;
    private final Pins pins = new Pins();
    private final LocalRemovals removals;

    /**
     * Opens (creating if missing) the store under {@code root}; the caller holds the data folder's lock. Opening walks
     * the store once: it moves files of the earlier layout up ({@link LegacyLayout}), deletes temporary files left by
     * a crash mid-write (nothing is pinned yet) and lists the stored hashes for the first
     * {@link LocalRemovals#sweepLeftoversAndList() sweep}, which at start therefore needs no walk of its own. Uploads
     * a crash left in {@code incoming} are deleted.
     */
    public LocalBlobStore(Path root, StoreHealth health) {
        this.root = root;
        this.incoming = root.resolve(INCOMING);
        this.health = health;
        this.failures = new DiskFailures(health);
        try {
            createOwnerOnly(root);
            PrefixFolders.create(root);
            IncomingFile.clearFolder(incoming);
            direct = DirectIo.forFolder(root);
            Listing found = PrefixFolders.walk(root, pins, true, true);
            storedAtOpen = found.hashes().size();
            removals = new LocalRemovals(root, pins, this::path, failures, found);
        } catch (IOException e) {
            throw ioError("could not open the blob folder " + root, e);
        }
    }

    /**
     * Creates the store's folder, if missing, open to its owner only: the originals are users' photos, and a data
     * folder an operator made beforehand is often readable by every local user. A folder already there keeps the
     * permissions it has; a file system without POSIX permissions applies its own rules.
     */
    private static void createOwnerOnly(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            return;
        }
        Path parent = root.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(root,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(root);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(root)) {
                throw e;
            }
        }
    }

    /** A store with a health of its own (tests). */
    public LocalBlobStore(Path root) {
        this(root, new StoreHealth("the blob store", Clock.systemUTC()));
    }

    @Override
    public Incoming receive() {
        return IncomingFile.create(incoming, received, true, direct);
    }

    /** Where uploads go: renamed into place from {@code incoming/}, on the same file system. */
    private final IncomingFile.Destination received = new IncomingFile.Destination() {
        @Override
        public boolean store(Path file, String sha256) throws IOException {
            Path target = path(sha256);
            if (Files.isRegularFile(target)) {
                stored(target);
                return false;
            }
            try {
                rename(file, target);
            } catch (NoSuchFileException e) {
                if (!Files.exists(file)) {
                    throw e;
                }
                DurableFiles.createFolder(target.getParent());
                rename(file, target);
            }
            return true;
        }

        @Override
        public StoreException failed(String message, IOException e) {
            return failures.failed(message, e);
        }
    };

    @Override
    public Pin pin(String sha256) {
        check(sha256);
        return pins.pin(sha256);
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    @Override
    public boolean write(String sha256, byte[] bytes) {
        Path target = path(sha256);
        if (Files.isRegularFile(target)) {
            try {
                stored(target);
            } catch (IOException e) {
                throw failures.failed("could not write " + target, e);
            }
            return false;
        }
        Path temp = target.resolveSibling(sha256 + "." + UUID.randomUUID() + TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileOutput output = create(temp, bytes.length)) {
                output.write(ByteBuffer.wrap(bytes));
                output.finish(true);
            }
            rename(temp, target);
            moved = true;
            return true;
        } catch (IOException e) {
            throw failures.failed("could not write " + target, e);
        } finally {
            if (!moved) {
                DurableFiles.deleteQuietly(temp);
            }
        }
    }

    /**
     * Creates {@code temp}, and its folder only if it went missing since the store opened (the store makes them all).
     */
    private FileOutput create(Path temp, long length) throws IOException {
        try {
            return direct.create(temp, length);
        } catch (NoSuchFileException e) {
            DurableFiles.createFolder(temp.getParent());
            return direct.create(temp, length);
        }
    }

    /**
     * {@code target}, found stored already, is durable by the time this returns: the writer that renamed it there may
     * not have forced its folder yet, and a job recorded on the strength of a name a crash can still undo would lose
     * its image. Forcing a folder with nothing new in it is cheap.
     */
    private static void stored(Path target) throws IOException {
        DurableFiles.forceDirectory(target.getParent());
    }

    /** Renames {@code from} to {@code target} in one step and forces the rename to disk. */
    void rename(Path from, Path target) throws IOException {
        try {
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw ioError("the file system under " + root + " cannot rename atomically", e);
        }
        DurableFiles.forceDirectory(target.getParent());
        health.wrote();
    }

    @Override
    public byte[] read(String sha256) {
        Path file = path(sha256);
        try {
            return DurableFiles.readAll(file);
        } catch (NoSuchFileException e) {
            throw missing(sha256, e);
        } catch (IOException e) {
            throw failures.failed("could not read " + file, e);
        }
    }

    /**
     * Straight from the file into {@code reuse}: a file of {@link DirectIo#MIN_BYTES} or more with direct I/O into an
     * aligned direct buffer, which {@link OriginalBuffers} are (such files were written directly, so the page cache
     * does not hold them); a smaller one, or into another buffer, through the page cache. Never through the heap.
     */
    @Override
    public ByteBuffer read(String sha256, ByteBuffer reuse) {
        Path file = path(sha256);
        try {
            // A large one is opened once, directly; the usual channel only for what direct I/O does not take.
            ByteBuffer read = Files.size(file) >= DirectIo.MIN_BYTES ? direct.read(file, reuse) : null;
            if (read != null) {
                return read;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return DurableFiles.readFully(ch, ch.size(), reuse);
            }
        } catch (NoSuchFileException e) {
            throw missing(sha256, e);
        } catch (IOException e) {
            throw failures.failed("could not read " + file, e);
        }
    }

    @Override
    public Content open(String sha256) {
        Path file = path(sha256);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            try {
                return new Content(Channels.newInputStream(ch), ch.size());
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw missing(sha256, e);
        } catch (IOException e) {
            throw failures.failed("could not read " + file, e);
        }
    }

    private static ThumbnailException missing(String sha256, NoSuchFileException e) {
        return new MissingBlob(sha256, e);
    }

    /** Writes, forces and deletes a small file, so that a store whose writes failed finds out if they work again. */
    @Override
    public void probeWrite() {
        Path probe = root.resolve("write-probe" + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(new byte[4096]));
                ch.force(true);
            }
            Files.delete(probe);
            health.wrote();
        } catch (IOException e) {
            DurableFiles.deleteQuietly(probe);
            throw failures.failed("could not write to the blob folder " + root, e);
        }
    }

    @Override
    public int storedAtOpen() {
        return storedAtOpen;
    }

    /** Nothing to ask: the folder's failures show in its writes, and the disk's free space is checked apart. */
    @Override
    public void ping() {
    }

    @Override
    public StoreHealth health() {
        return health;
    }

    @Override
    public BlobRemovals removals() {
        return removals;
    }

    /** Nothing held open: each read and write opens its own file. */
    @Override
    public void close() {
    }

    public Path root() {
        return root;
    }

    /** The file of {@code sha256}, whether it exists or not. */
    public Path path(String sha256) {
        check(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    static boolean isHash(String name) {
        return BlobStore.isSha256(name);
    }

    private static void check(String sha256) {
        BlobStore.requireSha256(sha256);
    }

    private static ThumbnailException ioError(String message, IOException e) {
        return new ThumbnailException(ErrorCode.IO_ERROR, message + ": " + e.getMessage(), e);
    }
}
