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
