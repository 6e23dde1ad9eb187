package io.thumbnail.internal.image;

import java.util.Arrays;

/**
 * Shrinks packed pixels by whole factors, each output pixel the exact mean of a {@code kx} x {@code ky} block.
 * Blocks at the right and bottom edges may be smaller and average what they hold (the {@link Resizer}'s kernel then
 * weighs each by the part of a whole block it covers). Runs at memory speed: one pass over the input, adds only,
 * one divide per output channel.
 */
final class BoxReducer {
    private BoxReducer() {
    }

    static Pixels reduce(Pixels src, int kx, int ky) {
        int w = src.width();
        int h = src.height();
        int outW = (w + kx - 1) / kx;
        int outH = (h + ky - 1) / ky;
        int[] in = src.argb();
        int[] out = new int[outW * outH];
        int[] sums = new int[outW * 4];
        boolean alpha = src.alpha();
        for (int oy = 0; oy < outH; oy++) {
            Arrays.fill(sums, 0);
            int y0 = oy * ky;
            int y1 = Math.min(h, y0 + ky);
            for (int y = y0; y < y1; y++) {
                int row = y * w;
                for (int ox = 0, x = 0; ox < outW; ox++) {
                    int x1 = Math.min(w, x + kx);
                    int a = 0;
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (; x < x1; x++) {
                        int px = in[row + x];
                        a += px >>> 24;
                        r += (px >> 16) & 0xFF;
                        g += (px >> 8) & 0xFF;
                        b += px & 0xFF;
                    }
                    int s = ox * 4;
                    sums[s] += a;
                    sums[s + 1] += r;
                    sums[s + 2] += g;
                    sums[s + 3] += b;
                }
            }
            int rows = y1 - y0;
            for (int ox = 0; ox < outW; ox++) {
                int n = (Math.min(w, (ox + 1) * kx) - ox * kx) * rows;
                int half = n / 2;
                int s = ox * 4;
                int a = alpha ? (sums[s] + half) / n : 255;
                out[oy * outW + ox] = a << 24 | (sums[s + 1] + half) / n << 16
                        | (sums[s + 2] + half) / n << 8 | (sums[s + 3] + half) / n;
            }
        }
        return new Pixels(out, outW, outH, alpha);
    }
}
