package io.thumbnail.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the service's own user may read: the job database holds the secret the URL-signing and webhook keys
 * come from, so another local user reading it could sign URLs to any thumbnail. On a file system without POSIX
 * permissions nothing changes (its own access rules apply).
 */
final class OwnerOnly {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} and its missing parents; the ones it creates, only the owner may open. */
    static void createFolders(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createFolders(parent);
        }
        try {
            Files.createDirectory(dir, attribute(FOLDER));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * Makes {@code file} (created empty if missing, as SQLite takes it) and its SQLite companions ({@code -wal},
     * {@code -shm}, which SQLite creates with the main file's permissions) readable by the owner only.
     */
    static void restrictDatabase(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, attribute(FILE));
                return;
            } catch (UnsupportedOperationException e) {
                return;
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: restricted below
            }
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            try {
                if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(FILE)) {
                    Files.setPosixFilePermissions(f, FILE);
                }
            } catch (UnsupportedOperationException e) {
                return;
            }
        }
    }

    /** Opens {@code file} to write, not truncated; made only the owner's if it has to be created. */
    static FileChannel openForWriting(Path file) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(file, options, attribute(FILE));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
