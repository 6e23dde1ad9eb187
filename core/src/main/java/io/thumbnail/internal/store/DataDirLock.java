package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory ({@code dataDir/lock}), held while a service runs. It makes "one process
 * per data directory" a fact, which is what lets a starting service treat every job still marked processing as
 * abandoned. The operating system drops the lock when the process dies, even by SIGKILL. The holder writes its process
 * id into the file, so a refused start can say which process holds it.
 */
public final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it; refuses with an {@link IllegalStateException} if another service
     * (in any process) holds it, and with {@code io_error} if the directory or the file cannot be made or locked.
     */
    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve("lock");
        FileChannel channel;
        try {
            Files.createDirectories(dataDir);
            // Not truncated on open: the file of a running holder keeps its process id for the refusal to name.
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not open " + file, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("it is in use by another thumbnail service in this process;"
                    + " one service per data directory");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not lock " + file, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("it is in use by another thumbnail service" + holder(file)
                    + "; one service per data directory");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // The lock is what counts; the process id is only there to be named in a refusal.
        }
        return new DataDirLock(channel, lock);
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

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
