package io.thumbnail.internal.image;

import java.awt.image.BufferedImage;

/**
 * Moves a cover crop onto the region of interest of the upright image, measured by an {@link AttentionMap}:
 * <ol>
 *   <li>as libvips does, the attention grid is blurred (a Gaussian as wide as a sixth of the crop's diagonal) and its
 *       hottest cell is the region of interest, unless it is no more than {@link #NEAR_TIE} hotter than the centre:
 *       then the centre is, where photographers put their subjects;</li>
 *   <li>the crop is centred on it as nearly as it can be, among the windows of the crop's size holding at least as
 *       much detail as the centred one: a smart crop never shows less detail than the centre crop would.</li>
 * </ol>
 * Cover crops along one axis only, so only the position along that axis is chosen.
 *
 * <p>The attention is measured on the whole image resized to the thumbnail's scale (at most {@value #PREVIEW_SIDE}
 * pixels a side), so detail counts as the thumbnail will show it, made from the image as decoded for the plan (the
 * DCT-domain JPEG reader's reduced image, for instance): never a decode of its own.
 */
public final class SmartCrop {
    /** The longest side of the preview the attention is measured on. */
    static final int PREVIEW_SIDE = 384;
    /** How much hotter than the centre a region must be to move the crop. */
    static final double NEAR_TIE = 0.05;
    /**
     * How much more detail than the centred window another must hold to be shown instead: the margin by which the
     * preview may misjudge the detail of the thumbnail itself.
     */
    static final double DETAIL_MARGIN = 0.02;
    private static final int GRID = AttentionMap.GRID;

    private SmartCrop() {
    }

    /** The plan with its crop moved onto the region of interest of {@code upright}, the image as decoded. */
    public static ThumbnailPlan place(ThumbnailPlan plan, BufferedImage upright) {
        boolean alongX = plan.cropWidth() < 1;
        if (!alongX && plan.cropHeight() >= 1) {
            return plan;
        }
        AttentionMap map = AttentionMap.of(preview(plan, Pixels.of(upright)));
        double sigma = GRID * Math.hypot(plan.cropWidth(), plan.cropHeight()) / 6;
        float[] heat = hottestAlong(blurred(map.grid, sigma), alongX);
        double target = interest(heat);
        return alongX ? plan.centredOn(nearest(map.columnDetail, plan.cropWidth(), target), 0.5)
                : plan.centredOn(0.5, nearest(map.rowDetail, plan.cropHeight(), target));
    }

    /**
     * The whole image at about the thumbnail's scale, so that detail counts as the thumbnail will show it: box
     * averages of {@code upright}, the image as decoded, at the largest whole fraction of its size that is still as
     * large as the thumbnail's scale (or {@value #PREVIEW_SIDE} pixels a side). A box average costs a pass over the
     * pixels, where a kernel would cost several times the attention map itself.
     */
    static Pixels preview(ThumbnailPlan plan, Pixels upright) {
        double wholeSide = Math.max(plan.width() / plan.cropWidth(), plan.height() / plan.cropHeight());
        int longest = Math.max(upright.width(), upright.height());
        int k = Math.max((int) (longest / Math.min(wholeSide, PREVIEW_SIDE)), (longest + PREVIEW_SIDE - 1) / PREVIEW_SIDE);
        return k > 1 ? BoxReducer.reduce(upright, k, k) : upright;
    }

    /**
     * Where along the axis, 0 to 1, the region of interest lies: the hottest cell's middle, or 0.5 unless that is
     * more than {@link #NEAR_TIE} hotter than the middle of the axis.
     */
    static double interest(float[] heat) {
        int hottest = 0;
        for (int i = 1; i < heat.length; i++) {
            if (heat[i] > heat[hottest]) {
                hottest = i;
            }
        }
        // The middle of the axis is the border between its two middle cells.
        float centre = Math.max(heat[heat.length / 2 - 1], heat[heat.length / 2]);
        if (heat[hottest] <= centre * (1 + NEAR_TIE)) {
            return 0.5;
        }
        return (hottest + 0.5) / heat.length;
    }

    /**
     * The centre, 0 to 1, of the window of {@code crop} the profile's length that lies nearest {@code target} among
     * the centred window and those holding more detail (by {@link #DETAIL_MARGIN}); exactly 0.5 for the centred one.
     */
    static double nearest(float[] detail, double crop, double target) {
        int n = detail.length;
        int length = Math.max(1, Math.min(n, (int) Math.round(crop * n)));
        int middle = (n - length) / 2;
        double[] sums = interiorSums(detail, length);
        int best = middle;
        double bestDistance = Math.abs(0.5 - target);
        for (int p = 0; p < sums.length; p++) {
            double distance = Math.abs((p + length / 2.0) / n - target);
            if (sums[p] >= sums[middle] * (1 + DETAIL_MARGIN) && distance < bestDistance) {
                best = p;
                bestDistance = distance;
            }
        }
        return best == middle ? 0.5 : (best + length / 2.0) / n;
    }

    /**
     * For each window of {@code length} consecutive values, the sum of all but its first and last: the detail of a
     * crop is what lies inside it, not the edges its borders cut through.
     */
    private static double[] interiorSums(float[] values, int length) {
        int inner = Math.max(1, length - 2);
        int skip = (length - inner) / 2;
        double[] sums = new double[values.length - length + 1];
        double s = 0;
        for (int i = 0; i < inner; i++) {
            s += values[skip + i];
        }
        sums[0] = s;
        for (int p = 1; p < sums.length; p++) {
            s += values[p + skip + inner - 1] - values[p + skip - 1];
            sums[p] = s;
        }
        return sums;
    }

    /** The hottest cell of each column ({@code alongX}) or row of the grid. */
    private static float[] hottestAlong(float[] grid, boolean alongX) {
        float[] heat = new float[GRID];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                int i = alongX ? x : y;
                heat[i] = Math.max(heat[i], grid[y * GRID + x]);
            }
        }
        return heat;
    }

    /**
     * The grid blurred by a Gaussian of {@code sigma} cells. Outside the image counts as nothing, which favours the
     * middle a little: a region near an edge shows less of its surroundings.
     */
    static float[] blurred(float[] grid, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
        }
        float[] rows = new float[grid.length];
        float[] out = new float[grid.length];
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                float s = 0;
                for (int k = Math.max(-radius, -x); k <= radius && x + k < GRID; k++) {
                    s += kernel[k + radius] * grid[y * GRID + x + k];
                }
                rows[y * GRID + x] = s;
            }
        }
        for (int y = 0; y < GRID; y++) {
            for (int x = 0; x < GRID; x++) {
                float s = 0;
                for (int k = Math.max(-radius, -y); k <= radius && y + k < GRID; k++) {
                    s += kernel[k + radius] * rows[(y + k) * GRID + x];
                }
                out[y * GRID + x] = s;
            }
        }
        return out;
    }
}
