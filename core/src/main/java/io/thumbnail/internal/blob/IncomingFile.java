package io.thumbnail.internal.blob;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.StoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * An upload received into a file of its own, a piece at a time, then handed to its {@link Destination} under the hash
 * its writer computed: renamed into a local store (the file lies in the store's folder, so never copied), or sent from
 * the file to object storage. Never held whole in memory: only its first {@value #HEAD_BYTES} bytes, which the header
 * check reads back ({@link HeadFirstChannel}).
 */
public final class IncomingFile implements BlobStore.Incoming {
    /** Enough for an image's header and the metadata before it in nearly every file, and never a humongous array. */
    static final int HEAD_BYTES = 64 * 1024;

    /** Where a received file goes once its hash is known. */
    public interface Destination {
        /**
         * Stores {@code file} under {@code sha256}, moving it or copying from it (a file left behind is deleted), or
         * returns false when that blob is stored already.
         */
        boolean store(Path file, String sha256) throws IOException;

        /** A failure of the storage, told to the store's health, to throw. */
        StoreException failed(String message, IOException e);
    }

    private final Path file;
    private final Destination destination;
    private final boolean force;
    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private long size;
    private FileOutput output;
    private boolean stored;
    private boolean closed;

    private IncomingFile(Path file, FileOutput output, Destination destination, boolean force) {
        this.file = file;
        this.output = output;
        this.destination = destination;
        this.force = force;
    }

    /**
     * A new file in {@code folder} (made again if it went missing) to receive an upload into. {@code force}: whether
     * {@link #finish()} forces it to disk, which a store whose durability is a rename of this very file needs.
     */
    public static IncomingFile create(Path folder, Destination destination, boolean force) {
        return create(folder, destination, force, new DirectIo(0));
    }

    /** As {@link #create(Path, Destination, boolean)}, written with {@code direct} I/O when it can. */
    static IncomingFile create(Path folder, Destination destination, boolean force, DirectIo direct) {
        Path file = folder.resolve(UUID.randomUUID() + ".upload");
        try {
            FileOutput output;
            try {
                output = direct.create(file, -1);
            } catch (NoSuchFileException e) {
                Files.createDirectories(folder);
                output = direct.create(file, -1);
            }
            return new IncomingFile(file, output, destination, force);
        } catch (IOException e) {
            throw destination.failed("could not create " + file, e);
        }
    }

    /**
     * Makes {@code folder}, where a store receives its uploads, and deletes what a crash left there: nothing is being
     * received while a store opens, and a file there was never stored. Returns how many files it deleted; one that
     * cannot be deleted is left to the next opening.
     */
    public static int clearFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        int deleted = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder)) {
            for (Path leftover : leftovers) {
                if (DurableFiles.deleteQuietly(leftover)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (output == null) {
            throw new IllegalStateException("the upload was finished or closed; it takes no more bytes");
        }
        int toHead = Math.min(bytes.remaining(), HEAD_BYTES - headLength);
        bytes.get(bytes.position(), head, headLength, toHead);
        headLength += toHead;
        size += bytes.remaining();
        try {
            output.write(bytes);
        } catch (IOException e) {
            throw destination.failed("could not write " + file, e);
        }
    }

    @Override
    public void finish() {
        if (output == null) {
            return;
        }
        FileOutput finished = output;
        output = null;
        try {
            finished.finish(force);
        } catch (IOException e) {
            throw destination.failed("could not write " + file, e);
        }
    }

    @Override
    public SeekableByteChannel read() throws IOException {
        checkUsable();
        if (output != null) {
            throw new IllegalStateException("the upload is still being received; finish it before reading it");
        }
        return new HeadFirstChannel(head, headLength, size, file);
    }

    @Override
    public boolean store(String sha256) {
        checkUsable();
        if (!Files.exists(file)) {
            throw gone(null);
        }
        try {
            boolean storedNow = destination.store(file, sha256);
            stored = true;
            return storedNow;
        } catch (NoSuchFileException e) {
            if (!Files.exists(file)) {
                throw gone(e);
            }
            throw destination.failed("could not store " + file, e);
        } catch (IOException e) {
            throw destination.failed("could not store " + file, e);
        } finally {
            if (stored) {
                deleteQuietly();
            }
        }
    }

    /** A second submit, or one after close, is the caller's mistake: no retry can make it work. */
    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("the upload was closed; receive the image again into a new upload");
        }
        if (stored) {
            throw new IllegalStateException("the upload was submitted already (its bytes went to that submit, even"
                    + " one that failed); receive the image again into a new upload to submit it again");
        }
    }

    /** The file went while the upload was open: something else deleted it. */
    private ThumbnailException gone(NoSuchFileException e) {
        return new ThumbnailException(ErrorCode.IO_ERROR, "the upload " + file.getFileName() + " was removed from "
                + file.getParent() + " by something other than this service", e);
    }

    @Override
    public void close() {
        closed = true;
        if (output != null) {
            output.close();
            output = null;
        }
        deleteQuietly();
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A file left behind is deleted the next time the store opens.
        }
    }
}
