package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The batch command line's output folder: each thumbnail written whole under a temporary name and then renamed, so a
 * batch stopped midway (Ctrl-C) leaves each whole or absent, never cut off under its real name; never over a file of
 * its name unless {@code --overwrite} says to. A failure is an {@code io_error} naming the thumbnail, not its temporary
 * file, with the system's reason; {@link #outOfSpace} tells the one every later write would fail with too.
 */
final class BatchOutput {
    /** How the bytes of a new file are written: {@link Files#write} but in tests. */
    interface Writer {
        void write(Path file, byte[] bytes) throws IOException;
    }

    static final Writer FILES = (file, bytes) -> Files.write(file, bytes);

    private static final long PROCESS = ProcessHandle.current().pid();
    private static final AtomicLong TEMP_FILES = new AtomicLong();

    private final Path folder;
    private final boolean overwrite;
    private final Writer writer;

    BatchOutput(Path folder, boolean overwrite, Writer writer) {
        this.folder = folder;
        this.overwrite = overwrite;
        this.writer = writer;
    }

    Path folder() {
        return folder;
    }

    /**
     * Creates a file in {@code folder} and deletes it: a folder that cannot be written in is said once, at the start,
     * rather than by every file of the batch failing alike.
     */
    static void probe(Path folder) throws IOException {
        Files.delete(Files.createFile(folder.resolve(temporaryName())));
    }

    /**
     * Named by this process and a count, not at random: the first random UUID seeds a SecureRandom, a pause of
     * milliseconds in a batch that lasts a fraction of a second. Not named after the thumbnail either: a name near the
     * file system's 255-byte limit would not leave room.
     */
    private static String temporaryName() {
        return ".thumbnail-" + PROCESS + "-" + TEMP_FILES.incrementAndGet() + ".tmp";
    }

    /** A file of the thumbnail's name is not replaced unless asked: it may be anything, an original photo too. */
    void checkAbsent(Path target) {
        if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(target);
        }
    }

    /**
     * Writes {@code bytes} to a temporary file beside {@code target}, then, unless {@code givenUp} says the batch no
     * longer waits for it, gives it {@code target}'s name. Returns whether it did.
     */
    boolean write(Path target, byte[] bytes, BooleanSupplier givenUp) {
        Path temp = target.resolveSibling(temporaryName());
        try {
            try {
                writer.write(temp, bytes);
                if (givenUp.getAsBoolean()) {
                    return false;
                }
                if (overwrite) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    publishNew(temp, target);
                }
                return true;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw exists(target);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not write " + target + ": "
                    + FileFailures.reason(e), e);
        }
    }

    /** Whether {@code e}, thrown by {@link #write}, says the file system is out of room. */
    static boolean outOfSpace(ThumbnailException e) {
        return e.getCause() instanceof IOException io && FileFailures.outOfSpace(io);
    }

    private static ThumbnailException exists(Path target) {
        return new ThumbnailException(ErrorCode.INVALID_REQUEST, target + " exists; --overwrite replaces it");
    }

    /**
     * Gives {@code temp} the name {@code target} only if nothing has it: a hard link fails if the name is taken, in
     * one step (a rename would replace it); where the file system has no hard links, a rename that checks first.
     */
    private static void publishNew(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            Files.move(temp, target);
        }
    }
}
