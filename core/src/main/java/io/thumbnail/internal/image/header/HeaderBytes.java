package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import java.nio.ByteBuffer;

/**
 * Bounds-checked reads of integers from an encoded image. Header parsers see hostile input: every read past
 * the end becomes a clean {@code corrupt_image} instead of an index exception.
 */
public final class HeaderBytes {
    private final ImageBytes data;
    private final ImageFormat format;
    private final boolean bigEndian;

    HeaderBytes(byte[] data, ImageFormat format, boolean bigEndian) {
        this(ImageBytes.of(data), format, bigEndian);
    }

    HeaderBytes(ImageBytes data, ImageFormat format, boolean bigEndian) {
        this.data = data;
        this.format = format;
        this.bigEndian = bigEndian;
    }

    HeaderBytes withBigEndian(boolean value) {
        return new HeaderBytes(data, format, value);
    }

    long length() {
        return data.length();
    }

    int u8(long offset) {
        require(offset, 1);
        return data.at(offset);
    }

    int u16(long offset) {
        require(offset, 2);
        int a = data.at(offset);
        int b = data.at(offset + 1);
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    int u24(long offset) {
        require(offset, 3);
        int a = data.at(offset);
        int b = data.at(offset + 1);
        int c = data.at(offset + 2);
        return bigEndian ? (a << 16) | (b << 8) | c : (c << 16) | (b << 8) | a;
    }

    long u32(long offset) {
        long hi = u16(offset);
        long lo = u16(offset + 2);
        return bigEndian ? (hi << 16) | lo : (lo << 16) | hi;
    }

    /** An unsigned 64-bit value, refused as corrupt when it does not fit in a long (no real offset does). */
    long u64(long offset) {
        long first = u32(offset);
        long second = u32(offset + 4);
        long hi = bigEndian ? first : second;
        long lo = bigEndian ? second : first;
        if (hi > Integer.MAX_VALUE) {
            throw corrupt("a 64-bit value is out of range");
        }
        return (hi << 32) | lo;
    }

    boolean ascii(long offset, String s) {
        if (offset < 0 || offset + s.length() > data.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (data.at(offset + i) != (s.charAt(i) & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes from {@code from} up to {@code to}, as a new array; {@code corrupt_image} unless all exist. */
    byte[] copy(long from, long to) {
        require(from, to - from);
        return data.copy(from, Math.toIntExact(to - from));
    }

    /** Whether the bytes at {@code offset} are the characters of {@code s} (false where the data ends first). */
    public static boolean ascii(byte[] data, long offset, String s) {
        if (offset < 0 || offset + s.length() > data.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (data[(int) offset + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #ascii(byte[], long, String)}, in the buffer's bytes from 0 to its limit. */
    public static boolean ascii(ByteBuffer data, long offset, String s) {
        if (offset < 0 || offset + s.length() > data.limit()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (data.get((int) offset + i) != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@code corrupt_image} unless {@code length} bytes exist at {@code offset}. */
    void require(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > data.length()) {
            throw corrupt("the header is truncated");
        }
    }

    ThumbnailException corrupt(String why) {
        return new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the " + format.id() + " image is corrupt: " + why);
    }
}
