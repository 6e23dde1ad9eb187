package io.thumbnail.internal.image.jpeg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One scan's entropy-coded data with the byte stuffing taken out (0xFF 0x00 back to 0xFF) and the restart
 * markers cut out, each restart interval's start noted, followed by zero bytes: the decoder then reads 32 bits
 * at any byte with one big-endian load and no checks per byte.
 */
final class EntropyData {
    /** Big-endian ints at any byte offset of a byte array (one machine load). */
    static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /**
     * Zero bytes after the data: more than one MCU can consume (ten blocks of 64 codes of at most 27 bits) plus
     * a load, so a decoder that checks its position once per MCU never reads past the array.
     */
    static final int PADDING = 4096;
    /** Eight bits a coefficient: what the densest camera photos (quality 100, sensor noise) come near. */
    static final int TYPICAL_BYTES_PER_BLOCK = 64;
    /** The least a buffer starts with: a small image's scans need no growing. */
    static final int MIN_BYTES = 256 * 1024;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The unstuffed bytes, then at least PADDING zeros; past those, whatever an earlier decode left. Replaced by a
     * longer copy when a scan does not fit: read it again after each {@link #load}.
     */
    byte[] bytes;
    /** Restart interval {@code i} starts at byte {@code starts[i]}; the last one ends at {@link #length}. */
    int[] starts = new int[64];
    int intervals;
    int length;
    /** Offset in the file of the marker that ended the scan (or the file's length). */
    int end;

    /** @param buffer at least {@link #PADDING} long, longer for the scans it is expected to hold; contents unused */
    EntropyData(byte[] buffer) {
        if (buffer.length < PADDING) {
            throw new IllegalArgumentException("an entropy buffer needs at least " + PADDING + " bytes, not "
                    + buffer.length);
        }
        bytes = buffer;
    }

    /**
     * The buffer length to start with for a frame of {@code blocks} blocks in a file of {@code fileLength} bytes:
     * no scan is longer than the file, and a photo's scans take well under {@value #TYPICAL_BYTES_PER_BLOCK} bytes a
     * block, so a small image followed by megabytes of other data does not take a buffer as long as the file. A
     * scan longer than the buffer grows it ({@link #load}).
     */
    static int bytesFor(long blocks, int fileLength) {
        return (int) Math.min(fileLength, Math.max(MIN_BYTES, blocks * TYPICAL_BYTES_PER_BLOCK)) + PADDING;
    }

    /** Unstuffs the scan data starting at {@code from}. */
    void load(ByteBuffer d, int from) {
        int out = 0;
        intervals = 1;
        starts[0] = 0;
        int i = from;
        int n = d.limit();
        while (true) {
            int ff = nextFf(d, i);
            int run = ff - i;
            reserve(out + run + 1 + PADDING);
            d.get(i, bytes, out, run);
            out += run;
            if (ff + 1 >= n) {
                end = n;
                break;
            }
            int next = d.get(ff + 1) & 0xFF;
            if (next == 0) {
                bytes[out++] = (byte) 0xFF;
                i = ff + 2;
            } else if (next >= 0xD0 && next <= 0xD7) {
                if (intervals == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, intervals * 2);
                }
                starts[intervals++] = out;
                i = ff + 2;
            } else if (next == 0xFF) {
                i = ff + 1;
            } else {
                end = ff;
                break;
            }
        }
        length = out;
        java.util.Arrays.fill(bytes, out, out + PADDING, (byte) 0);
    }

    /** Makes {@link #bytes} at least {@code length} long, doubling it so a long scan is copied a few times at most. */
    private void reserve(int length) {
        if (length > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16,
                    Math.max(length, 2L * bytes.length)));
        }
    }

    /** The offset of the marker that ends the entropy-coded data starting at {@code from}, or the file's length. */
    static int skip(ByteBuffer d, int from) {
        int i = from;
        int n = d.limit();
        while (true) {
            int ff = nextFf(d, i);
            if (ff + 1 >= n) {
                return n;
            }
            int next = d.get(ff + 1) & 0xFF;
            if (next == 0 || (next >= 0xD0 && next <= 0xD7)) {
                i = ff + 2;
            } else if (next == 0xFF) {
                i = ff + 1;
            } else {
                return ff;
            }
        }
    }

    /**
     * The offset of the next 0xFF byte at or after {@code from}, or the buffer's limit; eight bytes a step (whether
     * a long holds an 0xFF byte does not depend on the buffer's byte order).
     */
    private static int nextFf(ByteBuffer d, int from) {
        int i = from;
        int n = d.limit();
        while (i + 8 <= n) {
            long inverted = ~d.getLong(i);
            if (((inverted - ONES) & ~inverted & HIGHS) != 0) {
                break;
            }
            i += 8;
        }
        while (i < n && d.get(i) != (byte) 0xFF) {
            i++;
        }
        return i;
    }
}
