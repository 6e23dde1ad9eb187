package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The benchmarks' temporary folders: photos, thumbnails and data directories that no run should leave behind.
 *
 * <p>Deleting one that held many files leaves a mark beside it: on ext4 without a journal the inode allocator steps
 * over every inode deleted in the last 1 to 6 minutes each time a file is created, which a server started next
 * pays on every upload (in the kernel, on its request threads) until they age out.
 */
final class TempFolders {
    /** How long ext4 without a journal keeps stepping over a deleted inode whose block is still dirty. */
    static final Duration RECENT_DELETIONS = Duration.ofMinutes(6);
    static final String MARK = ".thumbnail-bench-deleted";
    /** Fewer deleted files than this cost file creation nothing measurable. */
    static final int MANY = 500;

    private TempFolders() {
    }

    /**
     * Deletes {@code root} and everything under it; says on stderr what could not be deleted, and goes on. Marks
     * the folder holding it when {@value #MANY} or more entries went.
     */
    static void delete(Path root) {
        long deleted;
        try (Stream<Path> walk = Files.walk(root)) {
            deleted = walk.sorted(Comparator.reverseOrder()).filter(p -> p.toFile().delete()).count();
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
            return;
        }
        Path parent = root.toAbsolutePath().getParent();
        if (deleted >= MANY && parent != null) {
            try {
                Path mark = parent.resolve(MARK);
                Files.write(mark, new byte[0]);
                Files.setLastModifiedTime(mark, FileTime.from(Instant.now()));
            } catch (IOException e) {
                System.err.println("could not mark " + parent + " as holding recent deletions: " + e);
            }
        }
    }

    /** How long before {@code now} a run last deleted many files in {@code folder}, if it did at all. */
    static Optional<Duration> sinceManyDeleted(Path folder, Instant now) {
        try {
            Instant marked = Files.getLastModifiedTime(folder.resolve(MARK)).toInstant();
            return Optional.of(Duration.between(marked, now).isNegative() ? Duration.ZERO : Duration.between(marked, now));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
