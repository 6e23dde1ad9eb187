package io.thumbnail.server;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in the operating system's words ("Permission denied"), for a command line to print after
 * the path it names. A file system exception's message is its paths and then that reason; the kinds the JDK raises
 * for the commonest errors carry only the paths (an {@link AccessDeniedException}'s message is its file), so those are
 * given the words the system has for them.
 */
final class FileFailures {
    private FileFailures() {
    }

    /**
     * Whether the file system is out of room (a full disk, or the user's quota used up): what every write after it
     * would fail with too. The JDK gives the system's words, in a plain {@link IOException}'s message when a write
     * fails and as a {@link FileSystemException}'s reason when creating or renaming a file does.
     */
    static boolean outOfSpace(IOException e) {
        String reason = reason(e);
        return reason.equals("No space left on device") || reason.equals("Disk quota exceeded");
    }

    static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        return e instanceof FileSystemException || e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage();
    }
}
