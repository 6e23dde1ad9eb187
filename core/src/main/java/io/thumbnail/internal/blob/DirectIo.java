package io.thumbnail.internal.blob;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Direct I/O ({@code O_DIRECT}) for originals: written from a reused, aligned buffer straight to the device, and read
 * back by a worker straight into its aligned buffer, never through the page cache. An original is forced to disk
 * before its job is accepted and then read once, by its worker, so a page-cache copy buys nothing but CPU: a copy on
 * each side, and a new page for every 4 KB written, which is dearest on a virtual machine whose host reclaims the
 * guest's free memory and faults each such page in again.
 *
 * <p>Best effort: a file system that refuses direct I/O (older kernels' tmpfs, some network file systems) or this
 * alignment turns it off for good, and a writer that finds all {@value #BUFFERS} buffers lent out (to uploads still
 * arriving) writes the usual way; the files are the same either way.
 */
final class DirectIo {
    /** Below this a buffered write is as cheap (a thumbnail's few KB, say). */
    static final int MIN_BYTES = 256 * 1024;
    static final int CHUNK_BYTES = 1 << 20;
    /** Buffers of {@value #CHUNK_BYTES} bytes, each lent to one file for as long as it is written. */
    static final int BUFFERS = 8;
    /** The alignment of the buffers it allocates, enough for every block size it turns on for. */
    static final int MAX_BLOCK = 65536;

    private final int blockSize;
    private final BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(BUFFERS);
    private volatile boolean enabled;
    private int allocated;

    /** {@code blockSize}: the alignment the file system wants (its block size; a power of two, at most 64 KB). */
    DirectIo(int blockSize) {
        this.blockSize = blockSize;
        this.enabled = blockSize > 0 && Integer.bitCount(blockSize) == 1 && blockSize <= MAX_BLOCK;
    }

    /** Direct I/O for files under {@code folder}, aligned to its file system's block size. */
    static DirectIo forFolder(Path folder) {
        try {
            return new DirectIo((int) Math.min(Integer.MAX_VALUE, Files.getFileStore(folder).getBlockSize()));
        } catch (IOException | UnsupportedOperationException e) {
            return new DirectIo(0);
        }
    }

    /** A direct buffer of at least {@code capacity} bytes (rounded up to a block) whose start any block size fits. */
    static ByteBuffer allocateAligned(int capacity) {
        int rounded = (int) Math.min(Integer.MAX_VALUE - 2L * MAX_BLOCK, ((long) capacity + MAX_BLOCK - 1) & -MAX_BLOCK);
        return ByteBuffer.allocateDirect(rounded + MAX_BLOCK).alignedSlice(MAX_BLOCK).limit(rounded).slice();
    }

    boolean enabled() {
        return enabled;
    }

    int blockSize() {
        return blockSize;
    }

    /**
     * Creates {@code file}, which must not exist, to be written: directly when it can, else the usual way.
     * {@code expectedBytes}: its length if known (a file known to be small is written the usual way), else -1.
     *
     * @throws NoSuchFileException       the folder is missing (the caller makes it and asks again)
     * @throws FileAlreadyExistsException the file exists
     */
    FileOutput create(Path file, long expectedBytes) throws IOException {
        if (!enabled || (expectedBytes >= 0 && expectedBytes < MIN_BYTES)) {
            return FileOutput.buffered(file);
        }
        ByteBuffer buffer = take();
        if (buffer == null) {
            return FileOutput.buffered(file);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            buffers.offer(buffer);
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            buffers.offer(buffer);
            // EINVAL: the file system has no direct I/O. Linux may have created the file before refusing the flag;
            // the name is the caller's alone (a temporary file's).
            Files.deleteIfExists(file);
            FileOutput output = FileOutput.buffered(file);
            enabled = false;
            return output;
        }
        return new FileOutput(file, channel, buffer, this);
    }

    /**
     * {@code file} read straight into {@code reuse} (from 0 to its limit, flipped), or null when it cannot be read
     * directly into it (direct I/O off, a buffer not aligned or too small, a refusal): read it the usual way then.
     */
    ByteBuffer read(Path file, ByteBuffer reuse) throws IOException {
        if (!enabled || !reuse.isDirect() || reuse.alignmentOffset(0, blockSize) != 0) {
            return null;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
        try (ch) {
            long size = ch.size();
            long padded = (size + blockSize - 1) & -blockSize;
            if (padded > reuse.capacity()) {
                return null;
            }
            reuse.clear().limit((int) padded);
            while (reuse.position() < size) {
                int n;
                try {
                    n = ch.read(reuse);
                } catch (IOException e) {
                    if (reuse.position() == 0) {
                        // Refused at once (EINVAL); the usual read finds out whether the disk itself failed.
                        return null;
                    }
                    throw e;
                }
                if (n <= 0) {
                    throw new IOException("the file got shorter while it was read");
                }
            }
            return reuse.flip();
        }
    }

    /** A free buffer, allocated on first need (at most {@value #BUFFERS}); null when all are lent out. */
    private ByteBuffer take() {
        ByteBuffer buffer = buffers.poll();
        if (buffer != null) {
            return buffer;
        }
        synchronized (this) {
            if (allocated == BUFFERS) {
                return null;
            }
            allocated++;
        }
        return allocateAligned(CHUNK_BYTES);
    }

    void release(ByteBuffer buffer) {
        buffer.clear();
        buffers.offer(buffer);
    }

    /** A direct write was refused where a buffered one of the same file was not. */
    void disable() {
        enabled = false;
    }
}
