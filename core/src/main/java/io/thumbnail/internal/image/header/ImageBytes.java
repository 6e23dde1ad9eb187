package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * The encoded bytes a header is read from: an array in memory, or a file read a few blocks at a time, so that an
 * upload streamed to disk is checked without ever being loaded whole. Bounds are the caller's to check
 * ({@link HeaderBytes} checks every read).
 */
public abstract class ImageBytes {
    ImageBytes() {
    }

    public static ImageBytes of(byte[] data) {
        return new BufferBytes(ByteBuffer.wrap(data));
    }

    /** The buffer's bytes from 0 to its limit (an array's, or memory outside the heap). */
    public static ImageBytes of(ByteBuffer data) {
        return new BufferBytes(data);
    }

    /**
     * The bytes of {@code file} (a file, or an upload being received) as long as it is at open; it stays the caller's
     * to close, and is read by moving its position. Header parsing follows
     * offsets anywhere in the file (a TIFF directory may sit at its end), so what is cached is bounded, not what is
     * read: {@value FileBytes#BLOCKS} blocks of {@value FileBytes#BLOCK} bytes.
     */
    public static ImageBytes of(SeekableByteChannel file) throws IOException {
        return new FileBytes(file, file.size());
    }

    public abstract long length();

    /** The byte at {@code offset}, 0 to 255. */
    abstract int at(long offset);

    /** The {@code n} bytes from {@code offset}, as a new array. */
    abstract byte[] copy(long offset, int n);

    /** The first {@code n} bytes, or all of them when there are fewer. */
    byte[] head(int n) {
        return copy(0, (int) Math.min(n, length()));
    }

    private static final class BufferBytes extends ImageBytes {
        private final ByteBuffer data;

        BufferBytes(ByteBuffer data) {
            this.data = data;
        }

        @Override
        public long length() {
            return data.limit();
        }

        @Override
        int at(long offset) {
            return data.get((int) offset) & 0xFF;
        }

        @Override
        byte[] copy(long offset, int n) {
            byte[] out = new byte[n];
            data.get((int) offset, out);
            return out;
        }
    }

    private static final class FileBytes extends ImageBytes {
        static final int BLOCK = 16 * 1024;
        static final int BLOCKS = 4;

        private final SeekableByteChannel file;
        private final long length;
        private final long[] starts = {-1, -1, -1, -1};
        private final byte[][] blocks = new byte[BLOCKS][];
        private int last;

        FileBytes(SeekableByteChannel file, long length) {
            this.file = file;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        int at(long offset) {
            long start = offset - offset % BLOCK;
            if (starts[last] != start) {
                last = slot(start);
            }
            return blocks[last][(int) (offset - start)] & 0xFF;
        }

        /** The slot holding the block at {@code start}, reading it into the one after the last used if none does. */
        private int slot(long start) {
            for (int i = 0; i < BLOCKS; i++) {
                if (starts[i] == start) {
                    return i;
                }
            }
            int victim = (last + 1) % BLOCKS;
            if (blocks[victim] == null) {
                blocks[victim] = new byte[BLOCK];
            }
            starts[victim] = -1;
            read(start, blocks[victim], (int) Math.min(BLOCK, length - start));
            starts[victim] = start;
            return victim;
        }

        @Override
        byte[] copy(long offset, int n) {
            byte[] out = new byte[n];
            read(offset, out, n);
            return out;
        }

        private void read(long position, byte[] into, int n) {
            ByteBuffer buffer = ByteBuffer.wrap(into, 0, n);
            try {
                file.position(position);
                while (buffer.hasRemaining()) {
                    if (file.read(buffer) < 0) {
                        throw new ThumbnailException(ErrorCode.IO_ERROR, "the image file got shorter while it was read");
                    }
                }
            } catch (IOException e) {
                throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read the image file: " + e.getMessage(), e);
            }
        }
    }
}
