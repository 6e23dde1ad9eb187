package io.thumbnail.internal.image.jpeg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One scan's entropy-coded data with the byte stuffing taken out (0xFF 0x00 back to 0xFF) and the restart
 * markers cut out, each restart interval's start noted, followed by zero bytes: the decoder then reads 64 bits
 * at any bit position with one big-endian load and no checks per byte.
 */
final class EntropyData {
    /** Big-endian longs at any byte offset of a byte array (one machine load). */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /**
     * Zero bytes after the data: more than one MCU can consume (ten blocks of 64 codes of at most 27 bits) plus
     * a load, so a decoder that checks its position once per MCU never reads past the array.
     */
    static final int PADDING = 4096;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** The unstuffed bytes, then at least PADDING zeros; past those, whatever an earlier decode left. */
    final byte[] bytes;
    /** Restart interval {@code i} starts at byte {@code starts[i]}; the last one ends at {@link #length}. */
    int[] starts = new int[64];
    int intervals;
    int length;
    /** Offset in the file of the marker that ended the scan (or the file's length). */
    int end;

    /** @param buffer at least {@link #bytesFor} the file's length long; its contents do not matter */
    EntropyData(byte[] buffer) {
        bytes = buffer;
    }

    /** The buffer length any scan of a file of {@code fileLength} bytes fits in, with its padding. */
    static int bytesFor(int fileLength) {
        return fileLength + PADDING;
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
        java.util.Arrays.fill(bytes, out, Math.min(bytes.length, out + PADDING), (byte) 0);
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
