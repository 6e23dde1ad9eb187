package io.thumbnail.internal.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A received file read from a copy of its first bytes kept in memory, and from the file itself only past them (opened
 * at the first such read). A header check reads a file's first few KB just after it was written around the page
 * cache ({@link DirectIo}): from the file that would be a read from the disk while the uploader waits for its answer.
 * Read-only; not thread-safe.
 */
final class HeadFirstChannel implements SeekableByteChannel {
    private final byte[] head;
    private final int headLength;
    private final long size;
    private final Path file;
    private FileChannel rest;
    private long position;
    private boolean open = true;

    /** {@code head}: the file's first {@code headLength} bytes; {@code size}: its length. */
    HeadFirstChannel(byte[] head, int headLength, long size, Path file) {
        this.head = head;
        this.headLength = headLength;
        this.size = size;
        this.file = file;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int n = 0;
        if (position < headLength) {
            n = (int) Math.min(dst.remaining(), headLength - position);
            dst.put(head, (int) position, n);
            position += n;
        }
        while (dst.hasRemaining() && position < size) {
            if (rest == null) {
                rest = FileChannel.open(file, StandardOpenOption.READ);
            }
            int r = rest.read(dst, position);
            if (r < 0) {
                return n == 0 ? -1 : n;
            }
            n += r;
            position += r;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("position " + newPosition + ": must not be negative");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        if (rest != null) {
            rest.close();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
