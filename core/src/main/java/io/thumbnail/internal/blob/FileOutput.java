package io.thumbnail.internal.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A new file written a piece at a time: directly ({@link DirectIo}), each piece copied into an aligned buffer and
 * written from there in whole chunks, then at {@link #finish} the whole blocks left, and the partial block after them
 * the usual way; or all of it the usual way, as is a file that ends smaller than {@link DirectIo#MIN_BYTES} with all
 * of it still in the buffer. (A last block written padded and then cut back would be read from the disk again: a
 * truncation zeroes the rest of the block it ends in.)
 * A direct write the file system refuses turns direct I/O off, and the file carries on the usual way after the chunks
 * already written, so a caller sees the same file whichever way it went. Not thread-safe: one writer, one thread at a time.
 */
final class FileOutput implements AutoCloseable {
    private final Path file;
    private final DirectIo direct;
    private FileChannel channel;
    /** Lent by {@link #direct} while writing directly; null once writing the usual way, or closed. */
    private ByteBuffer buffer;
    /** Bytes written directly so far, always whole blocks. */
    private long written;
    private boolean wroteDirectly;

    FileOutput(Path file, FileChannel channel, ByteBuffer buffer, DirectIo direct) {
        this.file = file;
        this.channel = channel;
        this.buffer = buffer;
        this.direct = direct;
    }

    /** Creates {@code file} (which must not exist) to be written the usual way. */
    static FileOutput buffered(Path file) throws IOException {
        return new FileOutput(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                null, null);
    }

    /** Whether the bytes go to the device without the page cache (for now: a refusal may still turn it off). */
    boolean isDirect() {
        return buffer != null;
    }

    /** Whether any of the file went to the device directly (a file that ends small is written the usual way). */
    boolean wroteDirectly() {
        return wroteDirectly;
    }

    /** Writes all of {@code bytes}. */
    void write(ByteBuffer bytes) throws IOException {
        if (channel == null) {
            throw new IllegalStateException("the file " + file + " was finished or closed; it takes no more bytes");
        }
        while (bytes.hasRemaining()) {
            if (buffer == null) {
                channel.write(bytes);
                continue;
            }
            int n = Math.min(buffer.remaining(), bytes.remaining());
            buffer.put(buffer.position(), bytes, bytes.position(), n);
            buffer.position(buffer.position() + n);
            bytes.position(bytes.position() + n);
            if (!buffer.hasRemaining()) {
                writeChunk();
            }
        }
    }

    /** Writes what is left, forces the file to disk if asked, and closes it. */
    void finish(boolean force) throws IOException {
        if (channel == null) {
            throw new IllegalStateException("the file " + file + " was finished or closed already");
        }
        try {
            if (buffer != null && written == 0 && buffer.position() < DirectIo.MIN_BYTES) {
                // All of it is still here, and small: the usual way costs no more, and pads nothing.
                continueBuffered(buffer.position());
            } else if (buffer != null && buffer.position() > 0) {
                writeLast();
            }
            if (force) {
                channel.force(true);
            }
            FileChannel finished = channel;
            channel = null;
            finished.close();
        } finally {
            close();
        }
    }

    /** Closes the file unfinished (the caller deletes it). */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // Nothing more to write to it.
        } finally {
            channel = null;
            releaseBuffer();
        }
    }

    /** The buffer's whole blocks directly, then the rest of its bytes, less than a block, the usual way. */
    private void writeLast() throws IOException {
        int length = buffer.position();
        int whole = length & -direct.blockSize();
        if (whole == length) {
            writeChunk();
            return;
        }
        ByteBuffer rest = ByteBuffer.allocate(length - whole).put(0, buffer, whole, length - whole);
        if (whole > 0) {
            buffer.position(whole);
            writeChunk();
        }
        if (buffer != null) {
            continueBuffered(0);
        }
        // Either way the channel now writes the usual way, after all that came before the rest.
        while (rest.hasRemaining()) {
            channel.write(rest);
        }
    }

    /** The buffer's bytes, whole blocks; a refused write hands over to the usual way. */
    private void writeChunk() throws IOException {
        int length = buffer.position();
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException refusal) {
            // EINVAL: an alignment the file system did not report, or no direct I/O. Direct I/O goes off only if the
            // usual way works: a disk that fails both ways is a disk error, thrown as the direct write's.
            try {
                continueBuffered(length);
            } catch (IOException e) {
                refusal.addSuppressed(e);
                throw refusal;
            }
            direct.disable();
            return;
        }
        written += length;
        wroteDirectly = true;
        buffer.clear();
    }

    /** The buffer's first {@code length} bytes the usual way, after those already written (whole blocks). */
    private void continueBuffered(int length) throws IOException {
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        channel.truncate(written);
        channel.position(written);
        ByteBuffer staged = buffer.limit(length).position(0);
        while (staged.hasRemaining()) {
            channel.write(staged);
        }
        releaseBuffer();
    }

    private void releaseBuffer() {
        if (buffer != null) {
            direct.release(buffer);
            buffer = null;
        }
    }
}
