package io.thumbnail.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The batch JVM's application class-data archives in the user's cache folder: one per jar and JVM build, each named
 * with its length in bytes. A JVM maps an archive without checking its length, and one cut short (by a full disk, a
 * copy, a damaged file) kills every JVM that maps it with SIGBUS; so an archive whose length is not the one in its name
 * is deleted instead of used, and the next batch writes a new one.
 */
final class ClassDataArchives {
    /** Free space an archive is written in only: several times the archive's size (tens of MB). */
    static final long MIN_FREE_FOR_ARCHIVE = 256L << 20;
    /** Archives kept in the cache folder: this jar's, and a few others run lately (another version, another JDK). */
    static final int KEPT_ARCHIVES = 3;
    private static final String SUFFIX = ".jsa";
    private static final String PARTIAL = ".tmp";

    private ClassDataArchives() {
    }

    /** Where archives are kept: {@code $XDG_CACHE_HOME/thumbnail-server}, else {@code ~/.cache/thumbnail-server}. */
    static Path cacheFolder(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "thumbnail-server");
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() || home.equals("?") ? null : Path.of(home, ".cache", "thumbnail-server");
    }

    /**
     * The name every archive of this jar on this JVM starts with: the jar's size and time, so a rebuilt jar gets a new
     * archive rather than a refused one, and the JVM's version.
     */
    static String baseName(Path jar, String vmVersion) {
        long size;
        long modified;
        try {
            size = Files.size(jar);
            modified = Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            size = 0;
            modified = 0;
        }
        StringBuilder version = new StringBuilder(vmVersion.length());
        for (int i = 0; i < vmVersion.length(); i++) {
            char c = vmVersion.charAt(i);
            boolean kept = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '+'
                    || c == '-';
            version.append(kept ? c : '_');
        }
        return "batch-" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "-" + version;
    }

    /** The archive named {@code base} that is whole, if there is one; one that is not is deleted. */
    static Optional<Path> whole(Path cache, String base) {
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        Path found = null;
        // No lambdas here or below: the launcher JVM runs this before starting the batch's, and lambdas are classes to
        // make first.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cache, "batch-*")) {
            for (Path file : files) {
                long length = namedLength(file.getFileName().toString(), base);
                if (length < 0) {
                    continue;
                }
                if (found == null && Files.size(file) == length) {
                    found = file;
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.ofNullable(found);
        }
        return Optional.ofNullable(found);
    }

    /** The length in {@code name} if it is an archive named {@code base} ({@code base.<hex length>.jsa}), else -1. */
    private static long namedLength(String name, String base) {
        if (!name.startsWith(base + ".") || !name.endsWith(SUFFIX)) {
            return -1;
        }
        String hex = name.substring(base.length() + 1, name.length() - SUFFIX.length());
        if (hex.isEmpty() || hex.length() > 15) {
            return -1;
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return -1;
            }
        }
        return Long.parseLong(hex, 16);
    }

    /** Where a JVM with process id {@code pid} writes the archive named {@code base}, if there is room for one. */
    static Optional<Path> dumping(Path cache, String base, long pid, long minFreeBytes) {
        if (!ensureFolder(cache) || freeBytes(cache) < minFreeBytes) {
            return Optional.empty();
        }
        return Optional.of(cache.resolve(base + "." + pid + PARTIAL));
    }

    /** Keeps the archive a batch JVM wrote at its exit under its length, where the next batch looks for it. */
    static void keep(Path dumping) {
        try {
            long length = Files.isRegularFile(dumping) ? Files.size(dumping) : 0;
            String name = dumping.getFileName().toString();
            // base.<pid>.tmp
            String base = name.substring(0, name.lastIndexOf('.', name.length() - PARTIAL.length() - 1));
            if (length > 0) {
                Path archive = dumping.resolveSibling(base + "." + Long.toHexString(length) + SUFFIX);
                Files.move(dumping, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                prune(archive.getParent(), KEPT_ARCHIVES, Instant.now());
            }
        } catch (IOException | RuntimeException e) {
            // the next batch makes one
        } finally {
            try {
                Files.deleteIfExists(dumping);
            } catch (IOException e) {
                // left for the next dump to replace
            }
        }
    }

    /** Deletes an archive a JVM crashed with: the next batch writes a new one. */
    static void discard(Path archive) {
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            // the next batch finds it again, and crashes again only if it is damaged
        }
    }

    /**
     * Bounds the cache folder, which gains an archive with every new jar or JVM: keeps the {@code kept} newest
     * archives (the one just written among them) and deletes the others, and the partial archives of batches killed
     * while writing one, once a day old (a younger one may still be being written). A jar whose archive went makes a
     * new one at its next batch.
     */
    static void prune(Path cache, int kept, Instant now) throws IOException {
        // Each file's time read once, not at every comparison of the sort.
        Map<Path, Instant> archives = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cache, "batch-*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    archives.put(file, modified(file));
                } else if (name.endsWith(PARTIAL) && modified(file).isBefore(now.minus(Duration.ofDays(1)))) {
                    Files.deleteIfExists(file);
                }
            }
        }
        List<Path> newestFirst = new ArrayList<>(archives.keySet());
        newestFirst.sort(Comparator.comparing(archives::get).reversed());
        for (Path old : newestFirst.subList(Math.min(kept, newestFirst.size()), newestFirst.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static boolean ensureFolder(Path folder) {
        try {
            Files.createDirectories(folder);
            return Files.isWritable(folder);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The bytes free to this user on {@code folder}'s file system, 0 if unknown: a JVM that cannot write the whole
     * archive at its exit says so on stderr and exits 1, after a batch that made every thumbnail.
     */
    private static long freeBytes(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
