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
 * Writes large files with {@code O_DIRECT}: the bytes go from a reused, aligned buffer straight to the device instead
 * of being copied into the page cache and written back from there at the fsync. An original is forced to disk
 * before its job is accepted and then read back only after a restart (its worker gets the bytes in memory), so the
 * page cache copy buys nothing but CPU on the request thread, which is dearest where each new page-cache page is
 * memory a virtual machine's host has to fault in. Direct writes skip that copy and take less wall time too
 * (BENCHMARKS.md, End to end).
 *
 * <p>Best effort: a file system that refuses direct I/O (older kernels' tmpfs, some network file systems) or this
 * alignment turns it off for good, and a writer that finds all {@value #BUFFERS} buffers in use is told to write the
 * usual way; both answer {@code false} from {@link #write}.
 */
final class DirectWriter {
    /** Below this a buffered write is as cheap, and a thumbnail's few KB would be padded to a whole block. */
    static final int MIN_BYTES = 256 * 1024;
    static final int CHUNK_BYTES = 1 << 20;
    static final int BUFFERS = 4;

    private final int blockSize;
    private final BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(BUFFERS);
    private volatile boolean enabled;
    private int allocated;

    /** {@code blockSize}: the alignment the file system wants (its block size; a power of two, at most 64 KB). */
    DirectWriter(int blockSize) {
        this.blockSize = blockSize;
        this.enabled = blockSize > 0 && Integer.bitCount(blockSize) == 1 && blockSize <= 65536;
    }

    /** A writer for files under {@code folder}, aligned to its file system's block size. */
    static DirectWriter forFolder(Path folder) {
        try {
            return new DirectWriter((int) Math.min(Integer.MAX_VALUE, Files.getFileStore(folder).getBlockSize()));
        } catch (IOException | UnsupportedOperationException e) {
            return new DirectWriter(0);
        }
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Creates {@code file} (which must not exist) with {@code bytes} and forces it to disk; {@code false}, having
     * created nothing, when the caller should write it the usual way.
     */
    boolean write(Path file, byte[] bytes) throws IOException {
        if (!enabled || bytes.length < MIN_BYTES) {
            return false;
        }
        ByteBuffer buffer = take();
        if (buffer == null) {
            return false;
        }
        try {
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        ExtendedOpenOption.DIRECT);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (NoSuchFileException e) {
                // The folder went missing: the usual way makes it again.
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                // EINVAL: the file system has no direct I/O, which will not change while we run. Linux may have
                // created the file before refusing the flag; the name is ours alone (a temporary file's).
                enabled = false;
                Files.deleteIfExists(file);
                return false;
            }
            boolean written;
            try (ch) {
                written = writeChunks(ch, buffer, bytes);
            }
            if (!written) {
                Files.deleteIfExists(file);
                enabled = false;
            }
            return written;
        } finally {
            buffers.offer(buffer);
        }
    }

    /**
     * Writes {@code bytes} in aligned chunks, the last padded to a whole block and cut back, then forces them; false if
     * the first write was refused (EINVAL: an alignment the file system did not report).
     */
    private boolean writeChunks(FileChannel ch, ByteBuffer buffer, byte[] bytes) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
            int length = Math.min(CHUNK_BYTES, bytes.length - offset);
            int padded = (length + blockSize - 1) & -blockSize;
            buffer.clear();
            buffer.put(bytes, offset, length);
            while (buffer.position() < padded) {
                buffer.put((byte) 0);
            }
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            } catch (IOException e) {
                if (offset > 0) {
                    throw e;
                }
                return false;
            }
        }
        ch.truncate(bytes.length);
        ch.force(true);
        return true;
    }

    /** A free buffer, allocated on first need (at most {@value #BUFFERS}); null when all are in use. */
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
        return ByteBuffer.allocateDirect(CHUNK_BYTES + blockSize).alignedSlice(blockSize).limit(CHUNK_BYTES).slice();
    }
}
