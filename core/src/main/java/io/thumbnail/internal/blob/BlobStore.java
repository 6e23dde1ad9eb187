package io.thumbnail.internal.blob;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Image bytes by their SHA-256, under {@code root/ab/<sha256>}: identical bytes are stored once, and a file that
 * exists is complete (written to a temporary file in the same folder, forced to disk, then renamed atomically).
 *
 * <p>One level of 256 folders, as git does, all made when the store is: every write lands in a folder that exists.
 * With a second level (65,536 folders, the layout of earlier versions, moved up when a store opens) nearly
 * every file of a store's first hundred thousand made a folder, and made it durable in its parent: two more
 * directory writes and fsyncs per file. A million files are still only about 4,000 a folder.
 *
 * <p>Deleting races with writing: a job being submitted may need a file that another job's deletion finds
 * unreferenced. Writers therefore {@link #pin} a hash until their row is committed, and a file is only deleted (or
 * moved to the {@link Quarantine}) while unpinned and, checked under the same per-hash lock, unreferenced.
 *
 * <p>Failures to write or read are the server's ({@link StoreException}) and are told to the store's
 * {@link StoreHealth}; a file that is simply missing is not.
 */
public final class BlobStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final String TEMP_SUFFIX = ".tmp";
    static final String INCOMING = "incoming";
    private static final int READ_SLICE = 1 << 20;

    private final Path root;
    private final Path incoming;
    private final StoreHealth health;
    private final Quarantine quarantine;
    private final DirectWriter direct;
    private final int storedAtOpen;
    private final ConcurrentHashMap<String, Integer> pins = new ConcurrentHashMap<>();
    /** What opening the store found, kept for the first sweep (at start, before anything is written); then null. */
    private final AtomicReference<Listing> foundAtOpen = new AtomicReference<>();

    /**
     * What one walk of the store found: every stored hash, and how many abandoned temporary files it deleted.
     */
    public record Listing(List<String> hashes, int tempFilesDeleted) {
    }

    /**
     * Opens (creating if missing) the store under {@code root}; the caller holds the data folder's lock. Opening walks
     * the store once: it moves files of the earlier layout up ({@link LegacyLayout}), deletes temporary files left by
     * a crash mid-write (nothing is pinned yet) and lists the stored hashes for the first
     * {@link #sweepTempFilesAndList() sweep}, which at start therefore needs no walk of its own.
     */
    public BlobStore(Path root, StoreHealth health) {
        this.root = root;
        this.incoming = root.resolve(INCOMING);
        this.health = health;
        try {
            Files.createDirectories(root);
            createPrefixFolders(root);
            emptyIncoming();
            direct = DirectWriter.forFolder(root);
            Listing found = walk(true, true);
            foundAtOpen.set(found);
            storedAtOpen = found.hashes().size();
            quarantine = new Quarantine(root.resolve(Quarantine.FOLDER));
        } catch (IOException e) {
            throw ioError("could not open the blob folder " + root, e);
        }
    }

    /** A store with a health of its own (tests). */
    public BlobStore(Path root) {
        this(root, new StoreHealth("the blob store", Clock.systemUTC()));
    }

    /**
     * Makes the 256 folders up front (a few milliseconds, once per store), so that no write makes one, and makes them
     * durable with a single fsync of the root instead of one per folder.
     */
    private static void createPrefixFolders(Path root) throws IOException {
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            entries.forEach(entry -> present.add(entry.getFileName().toString()));
        }
        boolean created = false;
        String hex = "0123456789abcdef";
        for (int i = 0; i < 256; i++) {
            // Not String.format: its first use loads a large part of java.util's formatting, and this runs at startup.
            String name = new String(new char[] {hex.charAt(i >> 4), hex.charAt(i & 15)});
            if (!present.contains(name)) {
                // One fsync of the root below makes all of them durable.
                Files.createDirectory(root.resolve(name));
                created = true;
            }
        }
        if (created) {
            forceDirectory(root);
        }
    }

    /**
     * Makes the folder uploads are received into, and deletes what a crash left there: nothing is being received
     * while the store opens, and a file there was never stored.
     */
    private void emptyIncoming() throws IOException {
        Files.createDirectories(incoming);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(incoming)) {
            for (Path leftover : leftovers) {
                deleteQuietly(leftover);
            }
        }
    }

    /**
     * Where uploads are received before they are stored: inside the store, so that storing one is a rename on the
     * same file system, never a copy.
     */
    public Path incoming() {
        return incoming;
    }

    /**
     * Creates {@code name} under {@link #incoming()} for an upload to be received into, and the folder again if it
     * went missing since the store opened. A failure is the store's, told to its health.
     */
    public FileChannel createIncoming(String name) {
        Path file = incoming.resolve(name);
        try {
            try {
                return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                Files.createDirectories(incoming);
                return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            throw failed("could not create " + file, e);
        }
    }

    /** A failure to write an upload being received under {@link #incoming()}: the store's, told to its health. */
    public StoreException incomingFailed(Path file, IOException e) {
        return failed("could not write " + file, e);
    }

    /** A hold on a hash that keeps its file from being deleted; close it once the row naming it is committed. */
    public interface Pin extends AutoCloseable {
        @Override
        void close();
    }

    public Pin pin(String sha256) {
        check(sha256);
        pins.merge(sha256, 1, Integer::sum);
        return () -> pins.computeIfPresent(sha256, (k, n) -> n == 1 ? null : n - 1);
    }

    public Path path(String sha256) {
        check(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Stores {@code bytes} (whose hash the caller computed) unless a file with that hash exists; returns its path. */
    public Path write(String sha256, byte[] bytes) {
        Path target = path(sha256);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path temp = target.resolveSibling(sha256 + "." + UUID.randomUUID() + TEMP_SUFFIX);
        boolean moved = false;
        try {
            if (!direct.write(temp, bytes)) {
                try (FileChannel ch = create(temp)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    ch.force(true);
                }
            }
            rename(temp, target);
            moved = true;
            return target;
        } catch (IOException e) {
            throw failed("could not write " + target, e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Stores the file {@code received} (under {@link #incoming()}, already forced to disk, its hash computed by the
     * caller as it was written) by renaming it into place; when a file with that hash exists it is deleted instead.
     */
    public Path moveIn(String sha256, Path received) {
        Path target = path(sha256);
        try {
            if (Files.isRegularFile(target)) {
                Files.deleteIfExists(received);
                return target;
            }
            try {
                rename(received, target);
            } catch (NoSuchFileException e) {
                if (!Files.exists(received)) {
                    throw new ThumbnailException(ErrorCode.IO_ERROR, "the upload " + received.getFileName()
                            + " is gone (submitted already, or closed)", e);
                }
                createFolder(target.getParent());
                rename(received, target);
            }
            return target;
        } catch (IOException e) {
            throw failed("could not store " + target, e);
        }
    }

    /** Renames {@code from} to {@code target} in one step and forces the rename to disk. */
    private void rename(Path from, Path target) throws IOException {
        try {
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw ioError("the file system under " + root + " cannot rename atomically", e);
        }
        forceDirectory(target.getParent());
        health.wrote();
    }

    /**
     * Creates {@code temp}, and its folder only if it went missing since the store opened (the store makes them all).
     */
    private static FileChannel create(Path temp) throws IOException {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            createFolder(temp.getParent());
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    /**
     * Creates a folder whose parent exists, and makes its entry in the parent durable: the file's own folder is forced
     * after the rename, but a folder whose name was lost would lose the file with it. Another writer making it first is
     * fine.
     */
    private static void createFolder(Path folder) throws IOException {
        try {
            Files.createDirectory(folder);
            forceDirectory(folder.getParent());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw e;
            }
        }
    }

    public byte[] read(String sha256) {
        Path file = path(sha256);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException("the file is " + size + " bytes, more than an array holds");
            }
            byte[] bytes = new byte[(int) size];
            // In slices: the JDK copies a read into a heap array through a temporary direct buffer as large as the
            // read, and keeps that buffer for the thread: one read of a 50 MB original would pin 50 MB per worker.
            for (int at = 0; at < bytes.length; ) {
                int n = ch.read(ByteBuffer.wrap(bytes, at, Math.min(READ_SLICE, bytes.length - at)));
                if (n < 0) {
                    throw new IOException("the file got shorter while it was read");
                }
                at += n;
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "the stored image " + sha256 + " is missing", e);
        } catch (IOException e) {
            throw failed("could not read " + file, e);
        }
    }

    /** Writes, forces and deletes a small file, so that a store whose writes failed finds out if they work again. */
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
            deleteQuietly(probe);
            throw failed("could not write to the blob folder " + root, e);
        }
    }

    /**
     * Deletes the file of {@code sha256} if nobody holds a pin on it and {@code referenced} says no row names it.
     * Returns whether a file was deleted.
     */
    public boolean deleteIfUnreferenced(String sha256, Predicate<String> referenced) {
        if (sha256 == null) {
            return false;
        }
        boolean[] deleted = {false};
        // compute() holds the per-key lock, so a pin() of the same hash waits until the decision is made.
        pins.compute(sha256, (k, n) -> {
            if (n == null && !referenced.test(k)) {
                deleted[0] = deleteQuietly(path(k));
            }
            return n;
        });
        return deleted[0];
    }

    /**
     * Moves the file of {@code sha256} to the quarantine (under the time {@code now}) if nobody holds a pin on it and
     * {@code referenced} says no row names it; whether it was moved.
     */
    public boolean quarantineIfUnreferenced(String sha256, Predicate<String> referenced, Instant now) {
        boolean[] moved = {false};
        pins.compute(sha256, (k, n) -> {
            if (n == null && !referenced.test(k)) {
                try {
                    quarantine.take(path(k), k, now);
                    moved[0] = true;
                } catch (NoSuchFileException e) {
                    // Deleted meanwhile (its job was deleted): nothing to keep.
                } catch (IOException e) {
                    throw failed("could not move " + path(k) + " to " + quarantine.root(), e);
                }
            }
            return n;
        });
        return moved[0];
    }

    /** Moves the quarantined files {@code referenced} names back into the store; returns how many. */
    public int restoreQuarantined(Predicate<String> referenced) {
        try {
            return quarantine.restore(referenced, this::path);
        } catch (IOException e) {
            throw failed("could not restore files from " + quarantine.root(), e);
        }
    }

    /** Deletes the files quarantined before {@code cutoff}; returns how many. */
    public int emptyQuarantine(Instant cutoff) {
        try {
            return quarantine.empty(cutoff);
        } catch (IOException e) {
            throw failed("could not empty " + quarantine.root(), e);
        }
    }

    /** How many files the quarantine holds. */
    public long quarantined() {
        return quarantine.files();
    }

    /** How many files the store held when it opened (the quarantine's not counted). */
    public int storedAtOpen() {
        return storedAtOpen;
    }

    public StoreHealth health() {
        return health;
    }

    /** Every stored hash (files only; temporary files excluded). */
    public List<String> list() {
        try {
            return walk(false, false).hashes();
        } catch (IOException e) {
            throw failed("could not list " + root, e);
        }
    }

    /**
     * In one walk of the store, deletes the temporary files whose hash is not pinned (left by a crash mid-write) and
     * lists the stored hashes. The first call after opening returns what opening found instead of walking again.
     */
    public Listing sweepTempFilesAndList() {
        Listing atOpen = foundAtOpen.getAndSet(null);
        if (atOpen != null) {
            return atOpen;
        }
        try {
            return walk(false, true);
        } catch (IOException e) {
            throw failed("could not list " + root, e);
        }
    }

    /**
     * Lists each prefix folder once: files named by a hash are listed; with {@code deleteTemps} temporary files are
     * deleted unless pinned, and with {@code flattenLegacy} folders of the earlier two-level layout are moved up.
     */
    private Listing walk(boolean flattenLegacy, boolean deleteTemps) throws IOException {
        // A set: a file moved up from a legacy folder may also turn up later in its new folder's listing.
        Set<String> hashes = new LinkedHashSet<>();
        int temps = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, LegacyLayout::isPrefixFolder)) {
            for (Path folder : folders) {
                boolean moved = false;
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if (name.endsWith(TEMP_SUFFIX)) {
                            String sha = name.length() > 64 ? name.substring(0, 64) : name;
                            if (deleteTemps && !pins.containsKey(sha) && deleteQuietly(entry)) {
                                temps++;
                            }
                        } else if (SHA256.matcher(name).matches()) {
                            hashes.add(name);
                        } else if (flattenLegacy && LegacyLayout.isPrefixFolder(entry)) {
                            List<String> up = LegacyLayout.flattenFolder(folder, entry);
                            hashes.addAll(up);
                            moved |= !up.isEmpty();
                        }
                    }
                }
                if (moved) {
                    forceDirectory(folder);
                }
            }
        }
        return new Listing(List.copyOf(hashes), temps);
    }

    public Path root() {
        return root;
    }

    static void forceDirectory(Path dir) {
        // Makes the rename itself durable. Some platforms cannot open a directory; that only weakens power-loss safety.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    private static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }

    private static void check(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits (was '" + sha256 + "')");
        }
    }

    private static ThumbnailException ioError(String message, IOException e) {
        return new ThumbnailException(ErrorCode.IO_ERROR, message + ": " + e.getMessage(), e);
    }

    /** What the operating system said ("No space left on device"), without the paths it names. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** A failure of the storage: told to the store's health, thrown as the server's. */
    private StoreException failed(String message, IOException e) {
        StoreException failure = new StoreException(message + ": " + reason(e), e);
        health.failed(failure);
        return failure;
    }
}
