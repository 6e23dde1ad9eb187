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
