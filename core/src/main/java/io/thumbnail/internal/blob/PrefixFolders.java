package io.thumbnail.internal.blob;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The 256 folders {@code root/00} to {@code root/ff} a {@link LocalBlobStore} keeps its files in, made and walked. */
final class PrefixFolders {
    private PrefixFolders() {
    }

    /**
     * Makes the 256 folders up front (a few milliseconds, once per store), so that no write makes one, and makes them
     * durable with a single fsync of the root instead of one per folder.
     */
    static void create(Path root) throws IOException {
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            entries.forEach(entry -> present.add(entry.getFileName().toString()));
        }
        boolean created = false;
        String hex = "0123456789abcdef";
        for (int i = 0; i < 256; i++) {
            // Not String.format: its first use loads a large part of java.util's formatting, and this runs at startup.
            String name = new String(new char[] {hex.charAt(i >> 4), hex.charAt(i & 15)});
            if (!present.contains(name)) {
                // One fsync of the root below makes all of them durable.
                Files.createDirectory(root.resolve(name));
                created = true;
            }
        }
        if (created) {
            DurableFiles.forceDirectory(root);
        }
    }

    /**
     * Lists each prefix folder once: files named by a hash are listed; with {@code deleteTemps} temporary files are
     * deleted unless pinned, and with {@code flattenLegacy} folders of the earlier two-level layout are moved up.
     */
    static BlobStore.Listing walk(Path root, Pins pins, boolean flattenLegacy, boolean deleteTemps) throws IOException {
        // A set: a file moved up from a legacy folder may also turn up later in its new folder's listing.
        Set<String> hashes = new LinkedHashSet<>();
        int temps = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, LegacyLayout::isPrefixFolder)) {
            for (Path folder : folders) {
                boolean moved = false;
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if (name.endsWith(LocalBlobStore.TEMP_SUFFIX)) {
                            String sha = name.length() > 64 ? name.substring(0, 64) : name;
                            if (deleteTemps && !pins.isPinned(sha) && DurableFiles.deleteQuietly(entry)) {
                                temps++;
                            }
                        } else if (LocalBlobStore.isHash(name)) {
                            hashes.add(name);
                        } else if (flattenLegacy && LegacyLayout.isPrefixFolder(entry)) {
                            List<String> up = LegacyLayout.flattenFolder(folder, entry);
                            hashes.addAll(up);
                            moved |= !up.isEmpty();
                        }
                    }
                }
                if (moved) {
                    DurableFiles.forceDirectory(folder);
                }
            }
        }
        return new BlobStore.Listing(List.copyOf(hashes), temps);
    }
}
