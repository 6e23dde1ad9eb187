package io.thumbnail.internal.image.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Converts a raw JPEG raster (one grey band, or YCbCr as libjpeg decodes it) or single YCbCr values to RGB with
 * the JFIF equations, as libjpeg would.
 */
final class YccConverter {
    /** Per chroma value, its rounded contribution to R, G or B (the JFIF equations). */
    private static final int[] CR_R = table(1.402);
    private static final int[] CB_G = table(-0.344136);
    private static final int[] CR_G = table(-0.714136);
    private static final int[] CB_B = table(1.772);
    /** Clamps luma plus a chroma contribution (-256..511) to 0..255, offset by 256. */
    private static final int[] LIMIT_TABLE = limit();
    private YccConverter() {
    }

    static BufferedImage convert(Raster raster, int components) {
        ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
        DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
        byte[] data = buffer.getData();
        int base = buffer.getOffset();
        int pixelStride = model.getPixelStride();
        int lineStride = model.getScanlineStride();
        int[] bands = model.getBandOffsets();
        int w = raster.getWidth();
        int h = raster.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int b0 = bands[0];
        int b1 = components == 3 ? bands[1] : b0;
        int b2 = components == 3 ? bands[2] : b0;
        // Table look-ups, as libjpeg does, instead of multiplications.
        for (int y = 0; y < h; y++) {
            int p = base + y * lineStride;
            for (int x = 0, o = y * w; x < w; x++, o++, p += pixelStride) {
                int luma = data[p + b0] & 0xFF;
                if (components == 3) {
                    int cb = data[p + b1] & 0xFF;
                    int cr = data[p + b2] & 0xFF;
                    rgb[o] = LIMIT_TABLE[256 + luma + CR_R[cr]] << 16 | LIMIT_TABLE[256 + luma + CB_G[cb] + CR_G[cr]] << 8 | LIMIT_TABLE[256 + luma + CB_B[cb]];
                } else {
                    rgb[o] = luma << 16 | luma << 8 | luma;
                }
            }
        }
        return out;
    }

    /** JFIF YCbCr to RGB in fixed point; inputs and intermediate values in 1/256 levels. */
    static int toRgb(int y, int cb, int cr) {
        cb -= 128 << 8;
        cr -= 128 << 8;
        // 1.402, 0.344136, 0.714136 and 1.772 scaled by 2^16.
        int r = y + (int) ((91881L * cr) >> 16);
        int g = y - (int) ((22554L * cb + 46802L * cr) >> 16);
        int b = y + (int) ((116130L * cb) >> 16);
        return level(r) << 16 | level(g) << 8 | level(b);
    }

    private static int[] table(double factor) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            t[i] = (int) Math.round(factor * (i - 128));
        }
        return t;
    }

    private static int[] limit() {
        int[] t = new int[1024];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.max(0, Math.min(255, i - 256));
        }
        return t;
    }

    static int grey(int y) {
        int g = level(y);
        return g << 16 | g << 8 | g;
    }

    /** 1/256 levels to a rounded, clamped 0..255. */
    private static int level(int v) {
        v = (v + 128) >> 8;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
