package io.thumbnail.internal.image;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * What the markers before a JPEG's first scan say: frame type and size, components, colour transform and the
 * embedded ICC profile. Read in one pass over the header bytes, no pixels.
 *
 * @param progressive     a SOF2 frame
 * @param firstScanEnd    for a progressive JPEG whose first scan holds the DC coefficients of every component
 *                        (libjpeg's and most encoders' progression), the offset where that scan ends: decoding up
 *                        to there gives each 8x8 block's mean. -1 otherwise
 * @param lowPassEnd      when {@code firstScanEnd} is set, the offset where the first later scan with the luma's
 *                        lowest AC coefficients (spectral selection from 1, first approximation) ends: decoding up
 *                        to there gives luma detail down to a few pixels. -1 when there is no such scan
 * @param icc             the assembled ICC profile, or {@code null} if there is none
 */
record JpegLayout(int width, int height, int components, boolean progressive, int firstScanEnd, int lowPassEnd,
                  byte[] icc) {

    /**
     * Parses the header, or returns {@code null} for anything but an 8-bit Huffman-coded JPEG with one (grey) or
     * three (YCbCr) components: CMYK, YCCK, RGB-coded, 12-bit, arithmetic-coded and damaged headers go to the
     * general decoder.
     */
    static JpegLayout parse(byte[] d) {
        if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
            return null;
        }
        int width = -1;
        int height = -1;
        int components = 0;
        int lumaId = -1;
        boolean progressive = false;
        boolean rgbIds = false;
        int adobeTransform = -1;
        byte[][] iccChunks = null;
        int i = 2;
        while (i + 4 <= d.length) {
            if ((d[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int length = (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
            int body = i + 4;
            int end = i + 2 + length;
            if (length < 2 || end > d.length) {
                return null;
            }
            if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
                if (length < 8 || (d[body] & 0xFF) != 8) {
                    return null;
                }
                progressive = marker == 0xC2;
                height = u16(d, body + 1);
                width = u16(d, body + 3);
                components = d[body + 5] & 0xFF;
                lumaId = length >= 8 + 3 ? d[body + 6] & 0xFF : -1;
                if (components == 3 && length >= 8 + 9) {
                    rgbIds = d[body + 6] == 'R' && d[body + 9] == 'G' && d[body + 12] == 'B';
                }
            } else if (marker >= 0xC3 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return null;
            } else if (marker == 0xEE && length >= 14 && startsWith(d, body, "Adobe")) {
                adobeTransform = d[body + 11] & 0xFF;
            } else if (marker == 0xE2 && length > 16 && startsWith(d, body, "ICC_PROFILE\0")) {
                int seq = d[body + 12] & 0xFF;
                int count = d[body + 13] & 0xFF;
                if (iccChunks == null) {
                    iccChunks = new byte[Math.max(1, count)][];
                }
                if (seq < 1 || seq > iccChunks.length) {
                    return null;
                }
                iccChunks[seq - 1] = Arrays.copyOfRange(d, body + 14, end);
            } else if (marker == 0xDA) {
                if (width < 1 || height < 1 || !(components == 1 || components == 3) || length < 6) {
                    return null;
                }
                int ns = d[body] & 0xFF;
                int ss = d[body + 1 + 2 * ns] & 0xFF;
                int se = d[body + 2 + 2 * ns] & 0xFF;
                boolean dcOnly = progressive && ns == components && ss == 0 && se == 0;
                if (components == 3 && (rgbIds || adobeTransform == 0)) {
                    return null;
                }
                byte[] icc = assemble(iccChunks);
                if (iccChunks != null && icc == null) {
                    return null;
                }
                int firstEnd = dcOnly ? scanEnd(d, end) : -1;
                return new JpegLayout(width, height, components, progressive, firstEnd, lowPassEnd(d, firstEnd, lumaId),
                        icc);
            }
            i = end;
        }
        return null;
    }

    /**
     * Walks the scans after the one ending at {@code from} to the first that starts the luma's AC coefficients
     * (Ss = 1, Ah = 0) and returns where it ends; -1 if none comes before the end of the image or the markers
     * between scans are anything but tables, restart intervals and application data.
     */
    private static int lowPassEnd(byte[] d, int from, int lumaId) {
        int i = from;
        while (i > 0 && i + 4 <= d.length && (d[i] & 0xFF) == 0xFF) {
            int marker = d[i + 1] & 0xFF;
            int length = (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
            int end = i + 2 + length;
            boolean between = marker == 0xC4 || marker == 0xDB || marker == 0xDD || (marker >= 0xE0 && marker <= 0xEF)
                    || marker == 0xFE;
            if (length < 2 || end > d.length || (marker != 0xDA && !between)) {
                return -1;
            }
            if (marker == 0xDA) {
                int ns = d[i + 4] & 0xFF;
                if (length < 6 + 2 * ns) {
                    return -1;
                }
                int spectral = i + 5 + 2 * ns;
                boolean luma = false;
                for (int c = 0; c < ns; c++) {
                    luma |= (d[i + 5 + 2 * c] & 0xFF) == lumaId;
                }
                int scanEnd = scanEnd(d, end);
                if (luma && (d[spectral] & 0xFF) == 1 && (d[spectral + 2] & 0xF0) == 0) {
                    return scanEnd;
                }
                i = scanEnd;
            } else {
                i = end;
            }
        }
        return -1;
    }

    /** The offset of the first marker after the entropy-coded data starting at {@code from}, or -1. */
    private static int scanEnd(byte[] d, int from) {
        for (int i = from; i + 1 < d.length; i++) {
            if ((d[i] & 0xFF) == 0xFF) {
                int next = d[i + 1] & 0xFF;
                // 0xFF00 is a stuffed data byte, 0xFFD0-0xFFD7 are restart markers inside the scan.
                if (next != 0 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static byte[] assemble(byte[][] chunks) {
        if (chunks == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            if (chunk == null) {
                return null;
            }
            out.writeBytes(chunk);
        }
        return out.size() == 0 ? null : out.toByteArray();
    }

    private static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    private static boolean startsWith(byte[] d, int at, String text) {
        if (at + text.length() > d.length) {
            return false;
        }
        for (int k = 0; k < text.length(); k++) {
            if (d[at + k] != (byte) text.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
