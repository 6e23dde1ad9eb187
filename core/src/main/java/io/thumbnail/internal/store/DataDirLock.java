package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * An exclusive lock on a data directory, held while a service runs. It makes "one process per data directory" a
 * fact, which is what lets a starting service treat every job still marked processing as abandoned. The operating
 * system drops the lock when the process dies, even by SIGKILL.
 *
 * <p>The lock is on {@code dataDir/lock}, into which the holder writes its process id, so a refused start can say
 * which process holds it. That file can be deleted under a running service (a cleanup script), and a second process
 * would then lock a new file of the same name; so a starting service also makes sure no other process has the
 * database open ({@link Database#checkNotOpenElsewhere}): the database cannot be replaced without losing the data
 * with it. {@link #verify}, run now and then, makes the lock file again, locked, should it go missing, for the sake
 * of earlier versions, which look only at it.
 *
 * <p>Not a lock on the database file itself: SQLite takes and drops POSIX locks on the whole file as it works, and a
 * process's POSIX locks on a file are one set, so SQLite would drop that lock too.
 *
 * <p>A process's POSIX locks on a file go when it closes any handle on that file, not only the one that locked it; so
 * while a service of this JVM holds a data directory, a second service here is refused before the lock file is
 * opened again, and the holder keeps its lock.
 *
 * <p>Refusals are worded to follow "could not open the data directory X: " ({@link OpenFailure}).
 */
public final class DataDirLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataDirLock.class);
    /** The data directories services of this JVM hold, by {@link #identity}; guarded by itself. */
    private static final Set<Object> HELD = new HashSet<>();

    private final Path dataDir;
    private final Object identity;
    private final Path lockFile;
    private FileChannel lockChannel;
    private FileLock lock;
    private Object lockFileKey;
    private boolean warnedUnmakeable;

    private DataDirLock(Path dataDir, Object identity, Path lockFile, FileChannel lockChannel, FileLock lock) {
        this.dataDir = dataDir;
        this.identity = identity;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.lockFileKey = FileIdentity.of(lockFile);
    }

    /**
     * Creates the directory if needed and locks it; refuses with an {@link IllegalStateException} if another service
     * (in any process) holds it or another process has {@code database} open, and with {@code io_error} if the
     * directory or the lock file cannot be made or locked.
     */
    public static DataDirLock acquire(Path dataDir, Path database) {
        synchronized (HELD) {
            try {
                OwnerOnly.createFolders(dataDir);
            } catch (IOException e) {
                throw new ThumbnailException(ErrorCode.IO_ERROR, "could not open " + dataDir.resolve("lock"), e);
            }
            Object identity = identity(dataDir);
            if (HELD.contains(identity)) {
                throw new IllegalStateException("it is in use by another thumbnail service in this process;"
                        + " one service per data directory");
            }
            DataDirLock held = lock(dataDir, identity, database);
            HELD.add(identity);
            return held;
        }
    }

    /** The directory's device and inode where the platform has them (a second path to it is the same), else its path. */
    private static Object identity(Path dataDir) {
        Object key = FileIdentity.of(dataDir);
        return key == null || key == FileIdentity.MISSING ? dataDir.toAbsolutePath().normalize() : key;
    }

    private static DataDirLock lock(Path dataDir, Object identity, Path database) {
        Path lockFile = dataDir.resolve("lock");
        FileChannel lockChannel;
        try {
            // Not truncated on open: the file of a running holder keeps its process id for the refusal to name.
            lockChannel = OwnerOnly.openForWriting(lockFile);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not open " + lockFile, e);
        }
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(lockChannel);
            throw new IllegalStateException("it is in use by another thumbnail service in this process;"
                    + " one service per data directory");
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not lock " + lockFile, e);
        }
        if (lock == null) {
            closeQuietly(lockChannel);
            throw new IllegalStateException("it is in use by another thumbnail service" + holder(lockFile)
                    + "; one service per data directory");
        }
        try {
            Database.checkNotOpenElsewhere(database);
        } catch (RuntimeException e) {
            release(lock);
            closeQuietly(lockChannel);
            throw e;
        }
        writeProcessId(lockChannel);
        return new DataDirLock(dataDir, identity, lockFile, lockChannel, lock);
    }

    /**
     * Makes and locks the lock file again if it was deleted or replaced since it was locked (so that earlier
     * versions, which look only at it, are refused too); returns whether it had to. Run now and then.
     */
    public synchronized boolean verify() {
        Object now = FileIdentity.of(lockFile);
        if (lockFileKey == null || now == null || lockFileKey.equals(now)) {
            return false;
        }
        FileChannel channel;
        try {
            channel = OwnerOnly.openForWriting(lockFile);
        } catch (IOException e) {
            if (!warnedUnmakeable) {
                warnedUnmakeable = true;
                log.warn("the lock file {} is gone and could not be made again ({}); a second service is still"
                        + " refused while this one has the database open", lockFile, e.toString());
            }
            return false;
        }
        FileLock renewed;
        try {
            renewed = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            renewed = null; // held by this JVM, or not lockable: not ours either way
        }
        if (renewed == null) {
            closeQuietly(channel);
            log.error("the lock file {} was replaced and another process holds the new one{}: a second service (of an"
                    + " earlier version?) may be using {}; stop it", lockFile, holder(lockFile), dataDir);
            lockFileKey = FileIdentity.of(lockFile);
            return false;
        }
        writeProcessId(channel);
        closeQuietly(lockChannel); // releases the lock on the old, unlinked file
        lockChannel = channel;
        lock = renewed;
        lockFileKey = FileIdentity.of(lockFile);
        warnedUnmakeable = false;
        log.warn("the lock file {} was deleted or replaced while this service ran; made and locked again", lockFile);
        return true;
    }

    @Override
    public synchronized void close() {
        release(lock);
        closeQuietly(lockChannel);
        synchronized (HELD) {
            HELD.remove(identity);
        }
    }

    private static void writeProcessId(FileChannel channel) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // The lock is what counts; the process id is only there to be named in a refusal.
        }
    }

    /** " (process 1234)" from the holder's lock file, or "" if it names none. */
    private static String holder(Path file) {
        try {
            long pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
            // A holder that has not written its id yet leaves its predecessor's: named only if it still runs.
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? " (process " + pid + ")" : "";
        } catch (IOException | NumberFormatException e) {
            return "";
        }
    }

    private static void release(FileLock held) {
        try {
            held.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
