package io.thumbnail.internal.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** How {@link LocalBlobStore} makes files and folders durable, and how blobs are read whole. */
final class DurableFiles {
    private static final int READ_SLICE = 1 << 20;

    private DurableFiles() {
    }

    /**
     * Creates a folder whose parent exists, and makes its entry in the parent durable: the file's own folder is forced
     * after the rename, but a folder whose name was lost would lose the file with it. Another writer making it first is
     * fine.
     */
    static void createFolder(Path folder) throws IOException {
        try {
            Files.createDirectory(folder);
            forceDirectory(folder.getParent());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw e;
            }
        }
    }

    /** The whole file in memory. */
    static byte[] readAll(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException("the file is " + size + " bytes, more than an array holds");
            }
            byte[] bytes = new byte[(int) size];
            // In slices: the JDK copies a read into a heap array through a temporary direct buffer as large as the
            // read, and keeps that buffer for the thread: one read of a 50 MB original would pin 50 MB per worker.
            for (int at = 0; at < bytes.length; ) {
                int n = ch.read(ByteBuffer.wrap(bytes, at, Math.min(READ_SLICE, bytes.length - at)));
                if (n < 0) {
                    throw new IOException("the file got shorter while it was read");
                }
                at += n;
            }
            return bytes;
        }
    }

    /**
     * The {@code size} bytes {@code from} holds in {@code reuse} (cleared first) when they fit, else in a new heap
     * buffer; flipped, so they are the buffer's bytes from 0 to its limit.
     */
    static ByteBuffer readFully(ReadableByteChannel from, long size, ByteBuffer reuse) throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("the file is " + size + " bytes, more than a buffer holds");
        }
        ByteBuffer into = size <= reuse.capacity() ? reuse.clear().limit((int) size) : ByteBuffer.allocate((int) size);
        while (into.hasRemaining()) {
            // A heap buffer in slices, for the reason readAll gives.
            ByteBuffer step = into.isDirect() ? into
                    : into.slice(into.position(), Math.min(READ_SLICE, into.remaining()));
            int n = from.read(step);
            if (n < 0) {
                throw new IOException("the file got shorter while it was read");
            }
            if (step != into) {
                into.position(into.position() + n);
            }
        }
        return into.flip();
    }

    /**
     * Makes the entries of {@code dir} (a rename into it, a file made in it) durable.
     *
     * @throws IOException the file system failed to force them: what was made in it may not survive a crash
     */
    static void forceDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UncheckedIOException e) {
            // Some platforms cannot open a directory (Windows); there only power-loss safety is weaker.
            return;
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems do not fsync directories at all (EINVAL, as PostgreSQL also allows for); any other
            // failure is the disk's.
            if (!String.valueOf(e.getMessage()).contains("Invalid argument")) {
                throw e;
            }
        }
    }

    static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}
