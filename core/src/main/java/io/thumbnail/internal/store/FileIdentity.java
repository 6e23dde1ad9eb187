package io.thumbnail.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which file a path names now (device and inode on Unix), to tell a file deleted or replaced under an open handle:
 * the lock file, the job database.
 */
final class FileIdentity {
    /** What {@link #of} returns for a path that names no file. */
    static final Object MISSING = new Object();

    private FileIdentity() {
    }

    /** The file's identity, {@link #MISSING}, or null if the platform has none (or the file cannot be read). */
    static Object of(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            return null;
        }
    }
}
