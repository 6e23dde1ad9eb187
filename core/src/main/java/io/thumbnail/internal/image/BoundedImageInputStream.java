package io.thumbnail.internal.image;

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
final class BoundedImageInputStream extends ImageInputStreamImpl {
    /** Generous for look-ahead at the real end of well-formed files; tiny next to a runaway decode. */
    static final int MAX_READS_PAST_END = 256;

    private final byte[] data;
    private final long end;
    private int readsPastEnd;

    BoundedImageInputStream(byte[] data, int zeroPadding) {
        this.data = data;
        this.end = data.length + (long) zeroPadding;
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
        return pos < data.length ? data[(int) pos] & 0xFF : 0;
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
        streamPos += n;
        return n;
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
