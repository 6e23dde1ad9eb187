package io.thumbnail.internal.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * Box-averages a raw JPEG raster (one grey band, or YCbCr as libjpeg decodes it) by a whole factor and converts
 * the averages to RGB with the JFIF equations. Averaging before converting is exact because the conversion is
 * linear; only the final clamp to 0..255 differs, and only for out-of-gamut averages.
 */
final class YccReducer {
    private YccReducer() {
    }

    static BufferedImage reduce(Raster raster, int k, int components) {
        ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
        DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
        byte[] data = buffer.getData();
        int base = buffer.getOffset();
        int pixelStride = model.getPixelStride();
        int lineStride = model.getScanlineStride();
        int[] bands = model.getBandOffsets();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int outW = (w + k - 1) / k;
        int outH = (h + k - 1) / k;
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int[] sums = new int[outW * 3];
        int b0 = bands[0];
        int b1 = components == 3 ? bands[1] : b0;
        int b2 = components == 3 ? bands[2] : b0;
        for (int oy = 0; oy < outH; oy++) {
            Arrays.fill(sums, 0);
            int y0 = oy * k;
            int y1 = Math.min(h, y0 + k);
            for (int y = y0; y < y1; y++) {
                int p = base + y * lineStride;
                for (int ox = 0, x = 0; ox < outW; ox++) {
                    int x1 = Math.min(w, x + k);
                    int s0 = 0;
                    int s1 = 0;
                    int s2 = 0;
                    for (; x < x1; x++, p += pixelStride) {
                        s0 += data[p + b0] & 0xFF;
                        s1 += data[p + b1] & 0xFF;
                        s2 += data[p + b2] & 0xFF;
                    }
                    int s = ox * 3;
                    sums[s] += s0;
                    sums[s + 1] += s1;
                    sums[s + 2] += s2;
                }
            }
            int rows = y1 - y0;
            for (int ox = 0; ox < outW; ox++) {
                double n = (Math.min(w, (ox + 1) * k) - ox * k) * rows;
                int s = ox * 3;
                double luma = sums[s] / n;
                int px;
                if (components == 3) {
                    double cb = sums[s + 1] / n - 128;
                    double cr = sums[s + 2] / n - 128;
                    px = clamp(luma + 1.402 * cr) << 16 | clamp(luma - 0.344136 * cb - 0.714136 * cr) << 8
                            | clamp(luma + 1.772 * cb);
                } else {
                    int g = clamp(luma);
                    px = g << 16 | g << 8 | g;
                }
                rgb[oy * outW + ox] = px;
            }
        }
        return out;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
