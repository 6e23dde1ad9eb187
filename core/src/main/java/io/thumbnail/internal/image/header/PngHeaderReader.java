package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a PNG's IHDR and the chunks before its image data: size, APNG frame count (acTL), EXIF orientation (eXIf) and
 * the embedded ICC profile (iCCP), which the JDK reader ignores.
 */
final class PngHeaderReader {
    /** Real profiles are far smaller; a larger one is a decompression bomb and is ignored. */
    private static final int MAX_PROFILE_BYTES = 4 * 1024 * 1024;
    private static final int SIGNATURE = 8;

    private PngHeaderReader() {
    }

    static ImageHeader read(ImageBytes data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.PNG, true);
        if (in.u32(SIGNATURE) != 13 || !in.ascii(SIGNATURE + 4, "IHDR")) {
            throw in.corrupt("the first chunk is not IHDR");
        }
        int ihdr = SIGNATURE + 8;
        long width = in.u32(ihdr);
        long height = in.u32(ihdr + 4);
        int bitDepth = in.u8(ihdr + 8);
        int colourType = in.u8(ihdr + 9);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw in.corrupt("IHDR declares " + width + "x" + height);
        }
        if (!validDepth(colourType, bitDepth)) {
            throw in.corrupt("colour type " + colourType + " with bit depth " + bitDepth);
        }
        long frames = 1;
        int acTL = chunk(in, "acTL");
        if (acTL >= 0) {
            frames = Math.max(1, in.u32(acTL));
        }
        int exif = chunk(in, "eXIf");
        int orientation = exif < 0 ? ExifOrientation.NORMAL
                : ExifOrientation.readChunk(in, exif, in.u32(exif - 8), ImageFormat.PNG);
        boolean grey = colourType == 0 || colourType == 4;
        return new ImageHeader(ImageFormat.PNG, (int) width, (int) height, (int) Math.min(frames, Integer.MAX_VALUE),
                orientation, grey);
    }

    /**
     * The raw ICC profile of the iCCP chunk, or null when there is none or it cannot be inflated within
     * {@value #MAX_PROFILE_BYTES} bytes.
     */
    static byte[] iccProfile(byte[] data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.PNG, true);
        int iccp = chunk(in, "iCCP");
        if (iccp < 0) {
            return null;
        }
        int length = (int) in.u32(iccp - 8);
        int name = iccp;
        int end = iccp + length;
        while (name < end && data[name] != 0) {
            name++;
        }
        // Profile name, NUL, compression method (0 = deflate), then the compressed profile.
        int compressed = name + 2;
        if (compressed > end) {
            return null;
        }
        return inflate(data, compressed, end - compressed);
    }

    /** The data offset of the first chunk of {@code type} before the image data, or -1. */
    private static int chunk(HeaderBytes in, String type) {
        long pos = SIGNATURE;
        while (pos + 8 <= in.length()) {
            long length = in.u32(pos);
            if (in.ascii(pos + 4, "IDAT") || in.ascii(pos + 4, "IEND")) {
                return -1;
            }
            if (length > Integer.MAX_VALUE) {
                throw in.corrupt("a chunk claims " + length + " bytes");
            }
            in.require(pos + 8, length + 4);
            if (in.ascii(pos + 4, type)) {
                return (int) pos + 8;
            }
            pos += 12 + length;
        }
        throw in.corrupt("the file ends before the image data");
    }

    private static byte[] inflate(byte[] data, int offset, int length) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, offset, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(MAX_PROFILE_BYTES, length * 4 + 64));
            byte[] buffer = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_PROFILE_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static boolean validDepth(int colourType, int bitDepth) {
        int[] allowed = switch (colourType) {
            case 0 -> new int[] {1, 2, 4, 8, 16};
            case 3 -> new int[] {1, 2, 4, 8};
            case 2, 4, 6 -> new int[] {8, 16};
            default -> new int[0];
        };
        return Arrays.stream(allowed).anyMatch(d -> d == bitDepth);
    }
}
