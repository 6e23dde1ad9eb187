package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The benchmarks' temporary folders: photos, thumbnails and data directories that no run should leave behind. */
final class TempFolders {
    private TempFolders() {
    }

    /** Deletes {@code root} and everything under it; says on stderr what could not be deleted, and goes on. */
    static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
