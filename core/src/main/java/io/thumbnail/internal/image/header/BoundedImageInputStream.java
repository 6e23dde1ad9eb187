package io.thumbnail.internal.image.header;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An image input stream over bytes in memory (an array, or a buffer that may live outside the heap) that gives
 * up on readers that keep reading past the end. Some decoders (TwelveMonkeys' lossless WebP bit reader) swallow
 * end-of-file and carry on decoding zeros, one exception per refill: a cut-off file then takes minutes. After a few
 * end-of-file reads this stream fails for good.
 *
 * <p>Optional zero padding after the data serves readers that look ahead of the bits they use: the WebP bit
 * reader reads eight bytes ahead and would otherwise hit end-of-file on every refill near the end of a
 * well-formed file.
 */
public final class BoundedImageInputStream extends ImageInputStreamImpl {
    /** Generous for look-ahead at the real end of well-formed files; tiny next to a runaway decode. */
    static final int MAX_READS_PAST_END = 256;

    private final ByteBuffer data;
    /** The data's length: its bytes are those of the buffer from 0 to here. */
    private final int length;
    /** Bytes shown after the data, before the zero padding. */
    private final byte[] tail;
    private final long end;
    private final int[] replaced;
    private final byte replacement;
    private int readsPastEnd;

    public BoundedImageInputStream(byte[] data, int zeroPadding) {
        this(ByteBuffer.wrap(data), zeroPadding);
    }

    /** Over the buffer's bytes from 0 to its limit. */
    public BoundedImageInputStream(ByteBuffer data, int zeroPadding) {
        this(data, data.limit(), new byte[0], zeroPadding, new int[0], (byte) 0);
    }

    private BoundedImageInputStream(ByteBuffer data, int length, byte[] tail, int zeroPadding, int[] replaced,
                                    byte replacement) {
        this.data = data;
        this.length = length;
        this.tail = tail;
        this.end = length + (long) tail.length + zeroPadding;
        this.replaced = replaced;
        this.replacement = replacement;
    }

    /**
     * The data as if the bytes at {@code offsets} were {@code replacement}, without copying it: how a
     * reader is shown a JPEG whose segments of one kind are renamed to one it skips.
     */
    public static BoundedImageInputStream withBytesReplaced(byte[] data, int[] offsets, byte replacement) {
        return withBytesReplaced(ByteBuffer.wrap(data), data.length, new byte[0], offsets, replacement);
    }

    /**
     * The buffer's first {@code length} bytes followed by {@code tail}, as if the bytes at {@code offsets} were
     * {@code replacement}, without copying: how a reader is shown the first scans of a JPEG as a whole file.
     */
    public static BoundedImageInputStream withBytesReplaced(ByteBuffer data, int length, byte[] tail, int[] offsets,
                                                            byte replacement) {
        if (length < 0 || length > data.limit()) {
            throw new IllegalArgumentException("length must be 0 to the data's " + data.limit() + " bytes (was "
                    + length + ")");
        }
        return new BoundedImageInputStream(data, length, tail.clone(), 0, offsets.clone(), replacement);
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= end) {
            pastEnd();
            return -1;
        }
        long pos = streamPos++;
        if (pos >= length) {
            return pos < length + (long) tail.length ? tail[(int) (pos - length)] & 0xFF : 0;
        }
        return (isReplaced(pos) ? replacement : data.get((int) pos)) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= end) {
            pastEnd();
            return -1;
        }
        int n = (int) Math.min(len, end - streamPos);
        int fromData = (int) Math.max(0, Math.min(n, length - streamPos));
        data.get((int) Math.min(streamPos, length), b, off, fromData);
        long tailPos = Math.max(0, streamPos + fromData - length);
        int fromTail = (int) Math.max(0, Math.min(n - fromData, tail.length - tailPos));
        System.arraycopy(tail, (int) Math.min(tailPos, tail.length), b, off + fromData, fromTail);
        java.util.Arrays.fill(b, off + fromData + fromTail, off + n, (byte) 0);
        for (int offset : replaced) {
            if (offset >= streamPos && offset < streamPos + fromData) {
                b[off + (int) (offset - streamPos)] = replacement;
            }
        }
        streamPos += n;
        return n;
    }

    private boolean isReplaced(long pos) {
        for (int offset : replaced) {
            if (offset == pos) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long length() {
        return end;
    }

    private void pastEnd() throws IIOException {
        if (++readsPastEnd > MAX_READS_PAST_END) {
            throw new IIOException("the image data ends before the image does");
        }
    }
}
