package io.thumbnail.internal.blob;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Files no job refers to, kept a while before they are deleted: {@code blobs/quarantine/<when>/<sha256>}. The sweep
 * of unreferenced files moves them here instead of deleting them, so a database that lost its rows (deleted,
 * truncated, restored from an older backup) costs no image: the files wait out the grace period, and a start that
 * finds jobs referring to them again moves them back. Each folder is named by the time (UTC, to the second) its files
 * came, so emptying the quarantine reads folder names, not every file's time.
 */
public final class Quarantine {
    static final String FOLDER = "quarantine";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path root;
    private final AtomicLong files = new AtomicLong();

    /** The quarantine under {@code root} (made when a file first comes); counts the files it holds. */
    Quarantine(Path root) throws IOException {
        this.root = root;
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path folder : folders) {
                    try (DirectoryStream<Path> inside = Files.newDirectoryStream(folder)) {
                        inside.forEach(file -> files.incrementAndGet());
                    }
                }
            }
        }
    }

    /** Moves {@code file}, the store's file of {@code sha256}, in, under the time {@code now}. */
    void take(Path file, String sha256, Instant now) throws IOException {
        Path folder = Files.createDirectories(root.resolve(folderName(now)));
        Files.move(file, folder.resolve(sha256), StandardCopyOption.ATOMIC_MOVE);
        files.incrementAndGet();
    }

    /**
     * Moves every file whose hash {@code wanted} accepts back to {@code home} of its hash (a copy already there is the
     * same bytes: the quarantined one goes); returns how many were moved back.
     */
    int restore(Predicate<String> wanted, Function<String, Path> home) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int restored = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path folder : folders) {
                try (DirectoryStream<Path> inside = Files.newDirectoryStream(folder)) {
                    for (Path file : inside) {
                        String sha = file.getFileName().toString();
                        if (!wanted.test(sha)) {
                            continue;
                        }
                        Path target = home.apply(sha);
                        if (Files.exists(target)) {
                            Files.deleteIfExists(file);
                        } else {
                            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                            DurableFiles.forceDirectory(target.getParent());
                            restored++;
                        }
                        files.decrementAndGet();
                    }
                }
            }
        }
        return restored;
    }

    /** Deletes the files that came before {@code cutoff}, with their folders; returns how many files went. */
    int empty(Instant cutoff) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path folder : folders) {
                Optional<Instant> came = stamp(folder);
                if (came.isEmpty() || !came.get().isBefore(cutoff)) {
                    continue;
                }
                try (DirectoryStream<Path> inside = Files.newDirectoryStream(folder)) {
                    for (Path file : inside) {
                        if (Files.deleteIfExists(file)) {
                            deleted++;
                            files.decrementAndGet();
                        }
                    }
                }
                try {
                    Files.deleteIfExists(folder);
                } catch (IOException e) {
                    // Something else was put there: left alone.
                }
            }
        }
        return deleted;
    }

    long files() {
        return Math.max(0, files.get());
    }

    Path root() {
        return root;
    }

    private static Optional<Instant> stamp(Path folder) {
        return folderTime(folder.getFileName().toString());
    }

    /** The name of the folder blobs quarantined at {@code when} go to: the time, UTC, to the second. */
    public static String folderName(Instant when) {
        return STAMP.format(when);
    }

    /** The time blobs came to the folder {@code name}, from its name; empty for a name this class did not make. */
    public static Optional<Instant> folderTime(String name) {
        try {
            return Optional.of(Instant.from(STAMP.parse(name)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
