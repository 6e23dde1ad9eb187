package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files a batch reads: each file named, and for each folder named the files directly in it, in name order (not
 * its subfolders, nor its hidden files, such as {@code .DS_Store}); a file reached twice under one name is read once.
 * A pipe or device named is refused, and one in a folder left out: reading one could wait for ever.
 * It knows them by their file identity (device and inode where the file system has them), so that no thumbnail is
 * written over one of them, whatever path names it: {@code -o . photo.jpg} would otherwise replace the photo with its
 * own thumbnail.
 */
final class BatchInputs {
    private final List<Path> files;
    private final Map<Path, ThumbnailException> refused;
    private final Set<Object> identities = new HashSet<>();

    private BatchInputs(List<Path> named, Map<Path, ThumbnailException> refused) {
        List<Path> once = new ArrayList<>(named.size());
        Set<List<Object>> made = new HashSet<>();
        for (Path file : named) {
            Object identity = identity(file);
            if (identity != null) {
                identities.add(identity);
            }
            // A file named twice under one name (itself and in its folder, or by two paths) is made once; under
            // another name (a hard or symbolic link) it is made again, so that every name gets its thumbnail.
            if (identity == null || made.add(List.of(identity, file.getFileName().toString()))) {
                once.add(file);
            }
        }
        this.files = List.copyOf(once);
        this.refused = refused;
    }

    /** The inputs of the paths given on the command line, folders opened. */
    static BatchInputs of(List<Path> named) {
        List<Path> files = new ArrayList<>();
        Map<Path, ThumbnailException> refused = new LinkedHashMap<>();
        for (Path path : named) {
            BasicFileAttributes attributes = attributesOf(path);
            if (attributes != null && attributes.isOther()) {
                refused.put(path, new ThumbnailException(ErrorCode.INVALID_REQUEST, "not a regular file (a pipe,"
                        + " device or socket, whose reading could wait for ever); name image files or folders"));
                continue;
            }
            if (attributes == null || !attributes.isDirectory()) {
                // A missing or unreadable one fails when it is read, in the system's words.
                files.add(path);
                continue;
            }
            try {
                files.addAll(filesIn(path));
            } catch (IOException e) {
                refused.put(path, new ThumbnailException(ErrorCode.IO_ERROR, "could not list the folder " + path + ": "
                        + FileFailures.reason(e), e));
            }
        }
        return new BatchInputs(files, refused);
    }

    /**
     * The regular files directly in {@code folder} whose names do not start with a dot, in name order, and its links
     * to nothing, which then fail naming themselves rather than vanish. Pipes and devices are left out: reading one
     * could wait for ever.
     */
    static List<Path> filesIn(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith(".")
                        && (Files.isRegularFile(entry) || Files.isSymbolicLink(entry) && Files.notExists(entry))) {
                    files.add(entry);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** The files to make thumbnails of. */
    List<Path> files() {
        return files;
    }

    /** The paths named that give no files: folders that could not be listed, pipes and devices; each with why. */
    Map<Path, ThumbnailException> refused() {
        return refused;
    }

    /**
     * Refuses {@code target} if it is one of the inputs: {@code invalid_request} naming it, before anything is written
     * there.
     */
    void checkNotAnInput(Path target) {
        Object identity = identity(target);
        if (identity != null && identities.contains(identity)) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "its thumbnail would be written over " + target
                    + ", an input of this batch; give -o a folder that holds no inputs");
        }
    }

    /** What the path names (links followed), or null if nothing can be read of it. */
    private static BasicFileAttributes attributesOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** The file's identity (device and inode), or its real path where the file system has none; null if absent. */
    private static Object identity(Path path) {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path.toRealPath();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
