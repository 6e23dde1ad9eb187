package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batch command line's output folder: each thumbnail written whole under a temporary name and then renamed, so a
 * batch stopped midway (Ctrl-C) leaves each whole or absent, never cut off under its real name; never over a file of
 * its name unless {@code --overwrite} says to. A file's thumbnails (a WebP and its fallback) are given their names
 * together, once all are written, or not at all. {@link #stop} deletes the temporary files of writes under way, which
 * the JVM would otherwise leave behind as it ends. A failure is an {@code io_error} naming the thumbnail, not its
 * temporary file, with the system's reason; {@link #outOfSpace} tells the one every later write would fail with too.
 */
final class BatchOutput {
    /** How the bytes of a file are written into the empty file made for them: {@link Files#write} but in tests. */
    interface Writer {
        void write(Path file, byte[] bytes) throws IOException;
    }

    /** Never makes the file anew: one deleted by {@link #stop} while being written stays deleted. */
    static final Writer FILES = (file, bytes) -> Files.write(file, bytes, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);

    private static final long PROCESS = ProcessHandle.current().pid();
    private static final AtomicLong TEMP_FILES = new AtomicLong();

    private final Path folder;
    private final boolean overwrite;
    private final Writer writer;
    // Guarded by this:
    private final Set<Path> temporary = new HashSet<>();
    private boolean stopped;

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
     * Writes each of {@code thumbnails} (its name, then its bytes) to a temporary file beside it, then, if
     * {@code attempt} {@linkplain BatchWorkers.Attempt#finish finishes} in time, gives each its name, in order.
     * Returns whether it did; if not, nothing was published. Once the batch gave up on the file, or {@link #stop}
     * stopped the output, no more is written.
     */
    boolean write(Map<Path, byte[]> thumbnails, BatchWorkers.Attempt attempt) {
        Map<Path, Path> temps = new LinkedHashMap<>();
        Path target = null;
        try {
            try {
                for (Map.Entry<Path, byte[]> thumbnail : thumbnails.entrySet()) {
                    target = thumbnail.getKey();
                    Path temp = attempt.givenUp() ? null : createTemporary(target);
                    if (temp == null) {
                        return false;
                    }
                    temps.put(target, temp);
                    writer.write(temp, thumbnail.getValue());
                }
                if (!attempt.finish()) {
                    return false;
                }
                List<Path> published = new ArrayList<>();
                try {
                    for (Map.Entry<Path, Path> temp : temps.entrySet()) {
                        target = temp.getKey();
                        if (overwrite) {
                            Files.move(temp.getValue(), target, StandardCopyOption.REPLACE_EXISTING,
                                    StandardCopyOption.ATOMIC_MOVE);
                        } else {
                            publishNew(temp.getValue(), target);
                        }
                        published.add(target);
                    }
                } catch (IOException e) {
                    unpublish(published);
                    throw e;
                }
                return true;
            } finally {
                for (Path temp : temps.values()) {
                    deleteTemporary(temp);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw exists(target);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not write " + target + ": "
                    + FileFailures.reason(e), e);
        }
    }

    /**
     * Takes back the names given to a file's first thumbnails when a later one could not have its own (a file of its
     * name appeared meanwhile): a WebP without its fallback is half of what was asked. Without {@code --overwrite}
     * each name was free, so what is deleted is only what this write made; with it, a replaced file is gone either
     * way, and the thumbnail that replaced it stays.
     */
    private void unpublish(List<Path> published) {
        if (overwrite) {
            return;
        }
        for (Path target : published) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException e) {
                // the failure that led here is the one reported
            }
        }
    }

    /**
     * Makes no temporary file any more and deletes those of the writes under way, which then fail or were given up
     * on: as the batch is stopped, before the JVM ends with its threads mid-write.
     */
    void stop() {
        List<Path> left;
        synchronized (this) {
            stopped = true;
            left = new ArrayList<>(temporary);
        }
        for (Path temp : left) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // nothing more to do as the JVM ends; the name says whose it was
            }
        }
    }

    /**
     * A new empty temporary file beside {@code target}, or null once stopped: made under the lock {@link #stop} takes,
     * so that none is made after it looked. A name taken, as by a file left by a killed process that had this one's
     * id, is passed over.
     */
    private synchronized Path createTemporary(Path target) throws IOException {
        if (stopped) {
            return null;
        }
        while (true) {
            try {
                Path temp = Files.createFile(target.resolveSibling(temporaryName()));
                temporary.add(temp);
                return temp;
            } catch (FileAlreadyExistsException taken) {
                // the next name
            }
        }
    }

    private void deleteTemporary(Path temp) throws IOException {
        Files.deleteIfExists(temp);
        synchronized (this) {
            temporary.remove(temp);
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
