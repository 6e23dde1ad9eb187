package io.thumbnail.internal.blob;

import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A failure of the disk under a {@link LocalBlobStore}: told to the store's health and thrown as the server's, in the
 * operating system's words ("No space left on device") without the paths it names.
 */
final class DiskFailures {
    private final StoreHealth health;

    DiskFailures(StoreHealth health) {
        this.health = health;
    }

    /** A failure of the storage while doing {@code message}: told to the store's health, to throw. */
    StoreException failed(String message, IOException e) {
        StoreException failure = new StoreException(message + ": " + reason(e), e);
        health.failed(failure);
        return failure;
    }

    /** What the operating system said, without the paths it names. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof ClosedByInterruptException || e instanceof InterruptedIOException) {
            return "interrupted";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
