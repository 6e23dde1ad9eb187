package io.thumbnail.internal.image;

import io.thumbnail.internal.image.kernel.Lanczos3;

import java.awt.image.BufferedImage;

/**
 * Scales the plan's crop of an image to the plan's size, working on the packed int pixels.
 *
 * <p>Two stages, as libvips and Pillow (its reducing gap) do. Where the source is more than {@link Lanczos3#GAP}
 * times the output size, an integer box average first brings it down to between {@code GAP} and {@code 2 * GAP}
 * times: only adds and one divide per channel, and exact (every source pixel counts once). Then the
 * {@link Lanczos3} kernel, stretched over the remaining scale factor, makes the final size: sharp up to the output's
 * resolution and free of aliasing beyond it. The box stage spares the kernel most of its work on large sources and costs little: a box
 * at most a sixth of an output pixel wide keeps 99 % of the contrast at the output's Nyquist frequency, and of a
 * pattern just past its own frequency it lets at most about 5 % alias into the output.
 *
 * <p>Where the source is not a whole number of blocks wide or high, the box stage's last column or row of blocks is
 * narrower: its pixels are the means of what those blocks hold, and the kernel weighs each by the part of a whole
 * block it covers, taken at its middle, as the JPEG decoder's scaler does. Each source pixel then counts once
 * however the blocks fall, and the thumbnail's last column and row are the Lanczos3 downscale of the source as near
 * as the rest. A source of whole blocks keeps the exact arithmetic, and the per-pixel loops are the same either way.
 *
 * <p>Colour channels are filtered premultiplied by alpha, so the colour of fully transparent pixels (often black)
 * never bleeds into visible edges. Filtering is gamma-naive, like most thumbnailers'.
 */
public final class Resizer {
    /** Fixed-point precision of the kernel weights. */
    private static final int BITS = 14;
    private static final int ONE = 1 << BITS;

    private Resizer() {
    }

    public static BufferedImage resize(BufferedImage image, ThumbnailPlan plan) {
        if (isPixelCopy(image, plan)) {
            // Same size, no crop: any filter would only blur (and soften hard alpha edges); copy exactly.
            return image;
        }
        return resize(Pixels.of(image), plan).toImage();
    }

    private static boolean isPixelCopy(BufferedImage image, ThumbnailPlan plan) {
        return plan.whole() && plan.width() == image.getWidth() && plan.height() == image.getHeight();
    }

    static Pixels resize(Pixels src, ThumbnailPlan plan) {
        double cropX = plan.cropX() * src.width();
        double cropY = plan.cropY() * src.height();
        double cropW = plan.cropWidth() * src.width();
        double cropH = plan.cropHeight() * src.height();
        int kx = Math.max(1, (int) (cropW / (Lanczos3.GAP * plan.width())));
        int ky = Math.max(1, (int) (cropH / (Lanczos3.GAP * plan.height())));

        Pixels p = src.alpha() ? premultiplied(src) : src;
        if (kx > 1 || ky > 1) {
            p = BoxReducer.reduce(p, kx, ky);
            cropX /= kx;
            cropW /= kx;
            cropY /= ky;
            cropH /= ky;
        }
        Lanczos3.Taps columns = Lanczos3.taps(p.width(), plan.width(), cropX, cropW, lastBlock(src.width(), kx));
        Lanczos3.Taps rows = Lanczos3.taps(p.height(), plan.height(), cropY, cropH, lastBlock(src.height(), ky));
        int firstRow = rows.first();
        int rowCount = rows.end() - firstRow;
        int[] wide = horizontal(p, columns, firstRow, rowCount);
        int[] out = vertical(wide, plan.width(), rows, firstRow, plan.height(), p.alpha());
        Pixels result = new Pixels(out, plan.width(), plan.height(), p.alpha());
        return p.alpha() ? unpremultiplied(result) : result;
    }

    /**
     * The part of a whole block of {@code k} pixels that the last block along a line of {@code size} pixels covers:
     * 1 where the line is a whole number of blocks (always so when {@code k} is 1, no box stage), else the pixels
     * left over, in (0, 1).
     */
    private static double lastBlock(int size, int k) {
        int rest = size % k;
        return rest == 0 ? 1 : rest / (double) k;
    }

    /** Filters rows {@code firstRow .. firstRow+rowCount} of {@code p} to {@code taps.size()} columns. */
    private static int[] horizontal(Pixels p, Lanczos3.Taps taps, int firstRow, int rowCount) {
        int outW = taps.size();
        int[] out = new int[outW * rowCount];
        int[] in = p.argb();
        int[] start = taps.start;
        int[] count = taps.count;
        int[] weights = taps.fixed(BITS);
        int stride = taps.stride;
        boolean alpha = p.alpha();
        for (int y = 0; y < rowCount; y++) {
            int rowStart = (firstRow + y) * p.width();
            int o = y * outW;
            for (int x = 0; x < outW; x++) {
                int a = ONE / 2;
                int r = ONE / 2;
                int g = ONE / 2;
                int b = ONE / 2;
                int s = rowStart + start[x];
                int wi = x * stride;
                int n = count[x];
                if (alpha) {
                    for (int j = 0; j < n; j++) {
                        a += (in[s + j] >>> 24) * weights[wi + j];
                    }
                } else {
                    a = 255 << BITS;
                }
                for (int j = 0; j < n; j++) {
                    int px = in[s + j];
                    int w = weights[wi + j];
                    r += ((px >> 16) & 0xFF) * w;
                    g += ((px >> 8) & 0xFF) * w;
                    b += (px & 0xFF) * w;
                }
                out[o + x] = pack(a, r, g, b);
            }
        }
        return out;
    }

    /** Filters the columns of {@code in} (rows starting at source row {@code firstRow}) to {@code outH} rows. */
    private static int[] vertical(int[] in, int width, Lanczos3.Taps taps, int firstRow, int outH, boolean alpha) {
        int[] out = new int[width * outH];
        int[] weights = taps.fixed(BITS);
        for (int y = 0; y < outH; y++) {
            int s = (taps.start[y] - firstRow) * width;
            int n = taps.count[y];
            int wi = y * taps.stride;
            int o = y * width;
            for (int x = 0; x < width; x++) {
                int a = ONE / 2;
                int r = ONE / 2;
                int g = ONE / 2;
                int b = ONE / 2;
                for (int j = 0, i = s + x; j < n; j++, i += width) {
                    int px = in[i];
                    int w = weights[wi + j];
                    a += (px >>> 24) * w;
                    r += ((px >> 16) & 0xFF) * w;
                    g += ((px >> 8) & 0xFF) * w;
                    b += (px & 0xFF) * w;
                }
                out[o + x] = pack(alpha ? a : 255 << BITS, r, g, b);
            }
        }
        return out;
    }

    private static int pack(int a, int r, int g, int b) {
        return clamp(a >> BITS) << 24 | clamp(r >> BITS) << 16 | clamp(g >> BITS) << 8 | clamp(b >> BITS);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static Pixels premultiplied(Pixels p) {
        int[] in = p.argb();
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            int px = in[i];
            int a = px >>> 24;
            if (a == 255) {
                out[i] = px;
            } else if (a != 0) {
                out[i] = a << 24 | mul(px >> 16, a) << 16 | mul(px >> 8, a) << 8 | mul(px, a);
            }
        }
        return new Pixels(out, p.width(), p.height(), true);
    }

    private static int mul(int channel, int alpha) {
        return ((channel & 0xFF) * alpha + 127) / 255;
    }

    private static Pixels unpremultiplied(Pixels p) {
        int[] px = p.argb();
        for (int i = 0; i < px.length; i++) {
            int v = px[i];
            int a = v >>> 24;
            if (a == 0) {
                px[i] = 0;
            } else if (a != 255) {
                px[i] = a << 24 | div(v >> 16, a) << 16 | div(v >> 8, a) << 8 | div(v, a);
            }
        }
        return p;
    }

    private static int div(int channel, int alpha) {
        return Math.min(255, ((channel & 0xFF) * 255 + alpha / 2) / alpha);
    }
}
