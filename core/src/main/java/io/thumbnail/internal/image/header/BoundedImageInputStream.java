package io.thumbnail.internal.image.header;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;

/**
 * An image input stream over a byte array that gives up on readers that keep reading past the end. Some
 * decoders (TwelveMonkeys' lossless WebP bit reader) swallow end-of-file and carry on decoding zeros, one
 * exception per refill: a cut-off file then takes minutes. After a few end-of-file reads this stream fails
 * for good.
 *
 * <p>Optional zero padding after the data serves readers that look ahead of the bits they use: the WebP bit
 * reader reads eight bytes ahead and would otherwise hit end-of-file on every refill near the end of a
 * well-formed file.
 */
public final class BoundedImageInputStream extends ImageInputStreamImpl {
    /** Generous for look-ahead at the real end of well-formed files; tiny next to a runaway decode. */
    static final int MAX_READS_PAST_END = 256;

    private final byte[] data;
    private final long end;
    private final int[] replaced;
    private final byte replacement;
    private int readsPastEnd;

    public BoundedImageInputStream(byte[] data, int zeroPadding) {
        this(data, zeroPadding, new int[0], (byte) 0);
    }

    private BoundedImageInputStream(byte[] data, int zeroPadding, int[] replaced, byte replacement) {
        this.data = data;
        this.end = data.length + (long) zeroPadding;
        this.replaced = replaced;
        this.replacement = replacement;
    }

    /**
     * The data as if the bytes at {@code offsets} were {@code replacement}, without copying it: how a
     * reader is shown a JPEG whose segments of one kind are renamed to one it skips.
     */
    public static BoundedImageInputStream withBytesReplaced(byte[] data, int[] offsets, byte replacement) {
        return new BoundedImageInputStream(data, 0, offsets.clone(), replacement);
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
        if (pos >= data.length) {
            return 0;
        }
        return (isReplaced(pos) ? replacement : data[(int) pos]) & 0xFF;
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
        int fromData = (int) Math.max(0, Math.min(n, data.length - streamPos));
        System.arraycopy(data, (int) Math.min(streamPos, data.length), b, off, fromData);
        java.util.Arrays.fill(b, off + fromData, off + n, (byte) 0);
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
