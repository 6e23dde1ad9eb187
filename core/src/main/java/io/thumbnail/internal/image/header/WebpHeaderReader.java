package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;

import java.util.Arrays;

/**
 * Reads the canvas size of a WebP (simple lossy, simple lossless or extended VP8X), counts the ANMF frames of an
 * animation and finds its ICC profile and EXIF orientation by walking the RIFF chunks, without decoding any of them.
 */
final class WebpHeaderReader {
    private static final int FIRST_CHUNK = 12;

    private WebpHeaderReader() {
    }

    static ImageHeader read(ImageBytes data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.WEBP, false);
        int body = FIRST_CHUNK + 8;
        int width;
        int height;
        if (in.ascii(FIRST_CHUNK, "VP8 ")) {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            if (in.u24(body + 3) != 0x2A019D) {
                throw in.corrupt("no VP8 start code");
            }
            width = in.u16(body + 6) & 0x3FFF;
            height = in.u16(body + 8) & 0x3FFF;
        } else if (in.ascii(FIRST_CHUNK, "VP8L")) {
            if (in.u8(body) != 0x2F) {
                throw in.corrupt("no VP8L signature");
            }
            long bits = in.u32(body + 1);
            width = (int) (bits & 0x3FFF) + 1;
            height = (int) ((bits >> 14) & 0x3FFF) + 1;
        } else if (in.ascii(FIRST_CHUNK, "VP8X")) {
            width = in.u24(body + 4) + 1;
            height = in.u24(body + 7) + 1;
        } else {
            throw in.corrupt("unknown first chunk");
        }
        Chunks chunks = checkChunks(in, width, height);
        return new ImageHeader(ImageFormat.WEBP, width, height, Math.max(1, chunks.frames()), chunks.orientation());
    }

    /** Whether every chunk lies inside the file (a missing final pad byte is tolerated). */
    static boolean isComplete(byte[] data) {
        long pos = FIRST_CHUNK;
        HeaderBytes in = new HeaderBytes(data, ImageFormat.WEBP, false);
        while (pos + 8 <= data.length) {
            long size = in.u32(pos + 4);
            if (pos + 8 + size > data.length) {
                return false;
            }
            pos += 8 + size + (size & 1);
        }
        return pos >= data.length;
    }

    /** The ICC profile of an extended WebP (its ICCP chunk), or null. */
    static byte[] iccProfile(byte[] data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.WEBP, false);
        long pos = FIRST_CHUNK;
        while (pos + 8 <= in.length()) {
            long size = in.u32(pos + 4);
            if (in.ascii(pos, "ICCP")) {
                return pos + 8 + size <= data.length
                        ? Arrays.copyOfRange(data, (int) pos + 8, (int) (pos + 8 + size)) : null;
            }
            pos += 8 + size + (size & 1);
        }
        return null;
    }

    /** What the chunks after the first tell: the animation's frames, and the EXIF orientation (1 without one). */
    private record Chunks(int frames, int orientation) {
    }

    /**
     * Counts the ANMF frames, reads the EXIF chunk's orientation, and refuses what a decoder would allocate beyond the
     * canvas checked against the limits: a frame reaching outside the canvas, an ICC profile whose own length is more
     * than its chunk carries.
     */
    private static Chunks checkChunks(HeaderBytes in, int width, int height) {
        int frames = 0;
        int orientation = ExifOrientation.NORMAL;
        long pos = FIRST_CHUNK;
        while (pos + 8 <= in.length()) {
            long size = in.u32(pos + 4);
            if (in.ascii(pos, "ANMF") && size >= 12) {
                frames++;
                long right = 2L * in.u24(pos + 8) + in.u24(pos + 14) + 1;
                long bottom = 2L * in.u24(pos + 11) + in.u24(pos + 17) + 1;
                if (right > width || bottom > height) {
                    throw in.corrupt("animation frame " + frames + " reaches outside its " + width + "x" + height
                            + " canvas");
                }
            } else if (in.ascii(pos, "ICCP") && size >= 4) {
                // An ICC profile gives its own length first, big-endian.
                long declared = in.withBigEndian(true).u32(pos + 8);
                if (declared > size) {
                    throw in.corrupt("its ICC profile gives its length as " + declared + " bytes but carries " + size);
                }
            } else if (in.ascii(pos, "EXIF") && pos + 8 + size <= in.length()) {
                orientation = ExifOrientation.readChunk(in, pos + 8, size, ImageFormat.WEBP);
            }
            pos += 8 + size + (size & 1);
        }
        return new Chunks(frames, orientation);
    }
}
