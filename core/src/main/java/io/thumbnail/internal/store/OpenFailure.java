package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.StoreOpenException;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Says in one line why a data directory could not be opened: "could not open the data directory /srv/data: permission
 * denied on lock (running as user thumbs)". The causes arrive wrapped in layers whose messages repeat the path and omit
 * the reason (an {@link AccessDeniedException}'s message is only its path), so the reason is read from the exception
 * that knows it: a file system exception's type and reason, or SQLite's result code.
 */
public final class OpenFailure {
    static final String PREFIX = "could not open the data directory ";
    private static final String ITSELF = "it";
    /** Less room than this where the data directory is, and a database failure is taken for a full disk. */
    static final long LOW_SPACE = 1L << 20;
    /** How a failure to open a database other than the data directory's begins. */
    public static final String DATABASE_FAILURE = "could not open the job database ";

    private OpenFailure() {
    }

    /**
     * {@code failure} with a message naming the data directory and the cause, of the same kind: a
     * {@link ThumbnailException} keeps its code, an {@link IllegalStateException} stays one; anything else about files
     * or the database becomes an {@code io_error}. A failure that is neither (a bug), or one of a store outside the
     * data directory ({@link StoreOpenException}), is returned as it is.
     */
    public static RuntimeException of(Path dataDir, RuntimeException failure) {
        return of(dataDir, failure, () -> usableSpace(dataDir));
    }

    /** As {@link #of(Path, RuntimeException)}, with the bytes free where the data directory is, or -1 if unknown. */
    static RuntimeException of(Path dataDir, RuntimeException failure, LongSupplier freeBytes) {
        if (failure instanceof StoreOpenException
                || failure.getMessage() != null && failure.getMessage().startsWith(DATABASE_FAILURE)) {
            return failure; // a store outside the data directory (a bucket, a database server), which its message names
        }
        String message = PREFIX + dataDir.toAbsolutePath().normalize() + ": " + cause(dataDir, failure, freeBytes);
        if (failure instanceof ThumbnailException te) {
            return new ThumbnailException(te.code(), message, failure);
        }
        if (failure instanceof IllegalStateException) {
            return new IllegalStateException(message, failure);
        }
        if (find(failure, FileSystemException.class) != null || find(failure, SQLiteException.class) != null) {
            return new ThumbnailException(ErrorCode.IO_ERROR, message, failure);
        }
        return failure;
    }

    /** The cause in words: from a file system or SQLite exception in the chain, else the innermost message. */
    static String cause(Path dataDir, Throwable failure, LongSupplier freeBytes) {
        FileSystemException fs = find(failure, FileSystemException.class);
        if (fs != null) {
            return fileProblem(dataDir, fs);
        }
        SQLiteException sqlite = find(failure, SQLiteException.class);
        if (sqlite != null) {
            String problem = databaseProblem(dataDir, sqlite);
            long free = freeBytes.getAsLong();
            // SQLite reports a write that found no room in many ways (a failed rollback after it, say): the free
            // space tells, where its words would send the operator after a damaged database instead.
            return free >= 0 && free < LOW_SPACE && !problem.startsWith("the disk is full")
                    ? "the disk is full (" + free + " bytes free; SQLite reported: " + sqlite.getMessage() + ")"
                    : problem;
        }
        Throwable innermost = failure;
        while (innermost.getCause() != null && innermost.getCause().getMessage() != null) {
            innermost = innermost.getCause();
        }
        return innermost.getMessage() != null ? innermost.getMessage() : innermost.toString();
    }

    private static String fileProblem(Path dataDir, FileSystemException e) {
        String file = name(dataDir, e.getFile());
        if (e instanceof AccessDeniedException) {
            return permissionDenied(file);
        }
        if (e instanceof FileAlreadyExistsException) {
            return file + " is a file, not a directory";
        }
        if (e instanceof NotDirectoryException) {
            return file + " is not a directory";
        }
        if (e instanceof NoSuchFileException) {
            return file + " does not exist";
        }
        String reason = e.getReason() == null ? "" : e.getReason().toLowerCase(Locale.ROOT);
        if (reason.contains("no space left")) {
            return "the disk is full (no space left on the device writing " + file + ")";
        }
        if (reason.contains("not a directory")) {
            return "a folder on " + (file.equals(ITSELF) ? "its path" : "the path of " + file) + " is a file";
        }
        if (reason.contains("permission denied") || reason.contains("operation not permitted")) {
            return permissionDenied(file);
        }
        return file + ": " + (reason.isEmpty() ? e.getClass().getSimpleName() : reason);
    }

    private static String databaseProblem(Path dataDir, SQLiteException e) {
        String code = e.getResultCode().name();
        if (code.startsWith("SQLITE_NOTADB")) {
            return "jobs.db is not a SQLite database (another file, or a damaged one)";
        }
        if (code.startsWith("SQLITE_CORRUPT")) {
            return "jobs.db is damaged (SQLite reports it corrupt)";
        }
        if (code.startsWith("SQLITE_FULL")) {
            return "the disk is full (SQLite could not write jobs.db)";
        }
        if (code.startsWith("SQLITE_READONLY")) {
            return "jobs.db is read-only";
        }
        if (code.startsWith("SQLITE_CANTOPEN")) {
            return Files.isDirectory(dataDir.resolve("jobs.db")) ? "jobs.db is a directory, not a database file"
                    : "jobs.db cannot be opened for reading and writing";
        }
        if (code.startsWith("SQLITE_PERM") || code.startsWith("SQLITE_AUTH")) {
            return permissionDenied("jobs.db");
        }
        if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
            return "jobs.db is locked by another process";
        }
        if (code.startsWith("SQLITE_IOERR")) {
            return "the disk failed reading or writing jobs.db (" + code + ")";
        }
        return "jobs.db: " + e.getMessage();
    }

    private static long usableSpace(Path dataDir) {
        try {
            return Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String permissionDenied(String file) {
        return "permission denied" + (file.equals(ITSELF) ? "" : " on " + file) + " (running as user "
                + System.getProperty("user.name") + ")";
    }

    /** A file inside the data directory by its relative name, the directory itself as "it", anything else by path. */
    private static String name(Path dataDir, String file) {
        if (file == null) {
            return "a file";
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        Path path = Path.of(file).toAbsolutePath().normalize();
        if (path.equals(dir)) {
            return ITSELF;
        }
        return path.startsWith(dir) ? dir.relativize(path).toString() : path.toString();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
