package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The files a batch reads: each file named, and for each folder named the files directly in it, in name order (not
 * its subfolders, nor its hidden files, such as {@code .DS_Store}); a file reached twice under one name is read once.
 * A pipe or device named is refused, and one in a folder left out: reading one could wait for ever. What a folder's
 * listing left out is told in one line per folder, by kind, rather than per entry or not at all.
 * It knows them by their file identity (device and inode where the file system has them), so that no thumbnail is
 * written over one of them, whatever path names it: {@code -o . photo.jpg} would otherwise replace the photo with its
 * own thumbnail.
 */
final class BatchInputs {
    private final List<Path> files;
    private final Map<Path, ThumbnailException> refused;
    private final Map<Path, Map<Skipped, Integer>> skipped;
    private final Set<Object> identities = new HashSet<>();

    /** What a folder's entry that is left out is, in the order they are told. */
    private enum Skipped {
        FOLDER("folder"), HIDDEN_FILE("hidden file"), HIDDEN_FOLDER("hidden folder"), PIPE("pipe"),
        DEVICE("device"), SOCKET("socket"), SPECIAL_FILE("special file");

        private final String noun;

        Skipped(String noun) {
            this.noun = noun;
        }
    }

    private BatchInputs(List<Path> named, Map<Path, ThumbnailException> refused,
                        Map<Path, Map<Skipped, Integer>> skipped) {
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
        this.skipped = skipped;
    }

    /** The inputs of the paths given on the command line, folders opened. */
    static BatchInputs of(List<Path> named) {
        List<Path> files = new ArrayList<>();
        Map<Path, ThumbnailException> refused = new LinkedHashMap<>();
        Map<Path, Map<Skipped, Integer>> skipped = new LinkedHashMap<>();
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
                Map<Skipped, Integer> left = new EnumMap<>(Skipped.class);
                files.addAll(filesIn(path, left));
                if (!left.isEmpty()) {
                    skipped.put(path, left);
                }
            } catch (IOException e) {
                refused.put(path, new ThumbnailException(ErrorCode.IO_ERROR, "could not list the folder " + path + ": "
                        + FileFailures.reason(e), e));
            }
        }
        return new BatchInputs(files, refused, skipped);
    }

    /**
     * The regular files directly in {@code folder} whose names do not start with a dot, in name order, and its links
     * to nothing, which then fail naming themselves rather than vanish. Pipes and devices are left out: reading one
     * could wait for ever.
     */
    static List<Path> filesIn(Path folder) throws IOException {
        return filesIn(folder, new EnumMap<>(Skipped.class));
    }

    /** {@link #filesIn(Path)}, counting in {@code skipped} what it leaves out, by kind. */
    private static List<Path> filesIn(Path folder, Map<Skipped, Integer> skipped) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                boolean hidden = entry.getFileName().toString().startsWith(".");
                if (!hidden && (Files.isRegularFile(entry) || Files.isSymbolicLink(entry) && Files.notExists(entry))) {
                    files.add(entry);
                } else {
                    skipped.merge(kindOf(entry, hidden), 1, Integer::sum);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** What a left-out entry is (links followed); a pipe, device or socket told apart where the system says. */
    private static Skipped kindOf(Path entry, boolean hidden) {
        if (Files.isDirectory(entry)) {
            return hidden ? Skipped.HIDDEN_FOLDER : Skipped.FOLDER;
        }
        if (hidden) {
            return Skipped.HIDDEN_FILE;
        }
        try {
            int type = (Integer) Files.getAttribute(entry, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> Skipped.PIPE;
                case 0020000, 0060000 -> Skipped.DEVICE;
                case 0140000 -> Skipped.SOCKET;
                default -> Skipped.SPECIAL_FILE;
            };
        } catch (IOException | RuntimeException e) {
            // no unix view here
            return Skipped.SPECIAL_FILE;
        }
    }

    /** The files to make thumbnails of. */
    List<Path> files() {
        return files;
    }

    /**
     * A line per folder named whose listing left entries out, saying how many and of which kinds:
     * {@code skipped 3 entries in photos: 2 folders, 1 hidden file}.
     */
    List<String> skippedLines() {
        List<String> lines = new ArrayList<>();
        skipped.forEach((folder, kinds) -> {
            StringJoiner counts = new StringJoiner(", ");
            int total = 0;
            for (Map.Entry<Skipped, Integer> kind : kinds.entrySet()) {
                counts.add(kind.getValue() + " " + kind.getKey().noun + (kind.getValue() == 1 ? "" : "s"));
                total += kind.getValue();
            }
            lines.add("skipped " + total + (total == 1 ? " entry" : " entries") + " in " + folder + ": " + counts);
        });
        return lines;
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
