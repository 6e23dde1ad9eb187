package io.thumbnail.internal.blob;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the files of the earlier two-level layout ({@code root/ab/cd/<sha256>}) up into {@code root/ab/}, once, when
 * a store opens. Every step is a rename within one folder tree or a delete, so a crash part way leaves files in one
 * layout or the other, and the next open goes on from there. Temporary files of that layout are left-overs of a crash
 * mid-write and are deleted; a file already present in its new place is the same bytes (same hash), so the old copy
 * goes.
 */
final class LegacyLayout {
    private LegacyLayout() {
    }

    /**
     * Moves the files of {@code second} into {@code first} and removes it; returns the names of the files moved (the
     * caller makes {@code first} durable if any).
     */
    static List<String> flattenFolder(Path first, Path second) throws IOException {
        List<String> moved = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(second)) {
            for (Path file : files) {
                Path target = first.resolve(file.getFileName().toString());
                if (file.getFileName().toString().endsWith(LocalBlobStore.TEMP_SUFFIX) || Files.exists(target)) {
                    Files.deleteIfExists(file);
                } else if (Files.isRegularFile(file)) {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(file.getFileName().toString());
                }
            }
        }
        try {
            Files.deleteIfExists(second);
        } catch (DirectoryNotEmptyException e) {
            // Something this store never writes (a folder someone put there): left alone.
        }
        return moved;
    }

    /** A folder named by two hex digits: a prefix folder of either layout. */
    static boolean isPrefixFolder(Path path) {
        String name = path.getFileName().toString();
        return name.length() == 2 && Character.digit(name.charAt(0), 16) >= 0 && Character.digit(name.charAt(1), 16) >= 0
                && Files.isDirectory(path);
    }
}
