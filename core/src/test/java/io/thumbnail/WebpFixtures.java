package io.thumbnail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes WebP files by hand (no WebP encoder exists in Java): lossless VP8L images of one colour, where every
 * prefix code has a single symbol so the pixels take no bits at all, in simple or animated containers.
 */
public final class WebpFixtures {
    private WebpFixtures() {
    }

    /** A simple-format lossless WebP of one ARGB colour. */
    public static byte[] solidLossless(int width, int height, int argb) {
        return riff(chunk("VP8L", vp8l(width, height, argb)));
    }

    /** An extended-format lossless WebP of one colour that carries an ICC profile (an ICCP chunk). */
    public static byte[] solidLosslessWithIcc(int width, int height, int argb, byte[] icc) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer vp8x = le(10).put((byte) (0x20 | 0x10)).put(new byte[3]);
        putU24(vp8x, width - 1);
        putU24(vp8x, height - 1);
        body.writeBytes(chunk("VP8X", vp8x.array()));
        body.writeBytes(chunk("ICCP", icc));
        body.writeBytes(chunk("VP8L", vp8l(width, height, argb)));
        return riff(body.toByteArray());
    }

    /** An animated WebP whose frames are full-canvas solid colours, in order. */
    public static byte[] animated(int width, int height, List<Integer> argbFrames) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer vp8x = le(10).put((byte) (0x02 | 0x10)).put(new byte[3]);
        putU24(vp8x, width - 1);
        putU24(vp8x, height - 1);
        body.writeBytes(chunk("VP8X", vp8x.array()));
        body.writeBytes(chunk("ANIM", le(6).putInt(0).putShort((short) 0).array()));
        for (int argb : argbFrames) {
            byte[] frame = chunk("VP8L", vp8l(width, height, argb));
            ByteBuffer anmf = le(16 + frame.length);
            putU24(anmf, 0);
            putU24(anmf, 0);
            putU24(anmf, width - 1);
            putU24(anmf, height - 1);
            putU24(anmf, 100);
            anmf.put((byte) 0).put(frame);
            body.writeBytes(chunk("ANMF", anmf.array()));
        }
        return riff(body.toByteArray());
    }

    private static byte[] vp8l(int width, int height, int argb) {
        Bits bits = new Bits();
        bits.write(0x2F, 8);
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(1, 1); // alpha is used
        bits.write(0, 3); // version
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no colour cache
        bits.write(0, 1); // no meta prefix codes
        int[] symbols = {(argb >> 8) & 0xFF, (argb >> 16) & 0xFF, argb & 0xFF, (argb >>> 24) & 0xFF, 0};
        for (int symbol : symbols) {
            bits.write(1, 1); // simple code
            bits.write(0, 1); // one symbol
            bits.write(1, 1); // eight-bit symbol
            bits.write(symbol, 8);
        }
        return bits.bytes();
    }

    private static byte[] riff(byte[] body) {
        ByteBuffer b = le(12 + body.length);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body);
        return b.array();
    }

    private static byte[] chunk(String type, byte[] data) {
        int padded = data.length + (data.length & 1);
        ByteBuffer b = le(8 + padded);
        b.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putU24(ByteBuffer b, int v) {
        b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }

    /** VP8L packs bits least significant first. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long buffer;
        private int count;

        void write(int value, int n) {
            buffer |= ((long) value & ((1L << n) - 1)) << count;
            count += n;
            while (count >= 8) {
                out.write((int) (buffer & 0xFF));
                buffer >>>= 8;
                count -= 8;
            }
        }

        byte[] bytes() {
            if (count > 0) {
                out.write((int) (buffer & 0xFF));
            }
            buffer = 0;
            count = 0;
            return out.toByteArray();
        }
    }
}
