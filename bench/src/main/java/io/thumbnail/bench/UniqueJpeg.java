package io.thumbnail.bench;

import java.nio.charset.StandardCharsets;

/**
 * Makes each upload of the same photo a different file, so the service's content dedupe (same bytes and spec:
 * answered done at once) never short-cuts a job: a JPEG comment segment (COM) carrying a tag goes right after the
 * start-of-image marker. Decoders skip comments, so the pixels and the work are the same as the original's.
 */
final class UniqueJpeg {
    private UniqueJpeg() {
    }

    /**
     * Where in {@code jpeg} the luma DC quantiser is: the first entry of quantisation table 0, if it is an 8-bit table
     * defined before the first scan; -1 otherwise (no variant of the photo's pixels can then be made).
     */
    static int lumaDcQuantiserAt(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xff) {
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xff) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return -1; // the first scan, or the end, before any table 0
            }
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xdb) {
                int end = Math.min(jpeg.length, i + 2 + length);
                for (int t = i + 4; t < end; ) {
                    int precision = (jpeg[t] & 0xff) >> 4;
                    int table = jpeg[t] & 0x0f;
                    if (table == 0) {
                        return precision == 0 && t + 1 < end ? t + 1 : -1;
                    }
                    t += 1 + 64 * (precision + 1);
                }
            }
            i += 2 + length;
        }
        return -1;
    }

    static boolean isJpeg(byte[] data) {
        return data.length >= 3 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8 && (data[2] & 0xff) == 0xff;
    }

    /**
     * The start-of-image marker and a comment segment carrying {@code tag}: what goes before the photo's bytes
     * after its own start-of-image marker (its first 2 bytes) to make a new file of the same image.
     */
    static byte[] prefix(String tag) {
        byte[] text = tag.getBytes(StandardCharsets.US_ASCII);
        int length = text.length + 2;
        byte[] out = new byte[4 + length];
        out[0] = (byte) 0xff;
        out[1] = (byte) 0xd8;
        out[2] = (byte) 0xff;
        out[3] = (byte) 0xfe;
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        System.arraycopy(text, 0, out, 6, text.length);
        return out;
    }
}
