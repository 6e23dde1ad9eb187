package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.Fit;
import io.thumbnail.Gravity;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;

/**
 * The geometry of one thumbnail: its output size and which part of the upright source it shows.
 * The crop is in fractions of the source (0..1), so it holds whatever resolution the decoder delivers.
 *
 * <p>Only {@link Fit#COVER} crops, and along one axis only: the other fits the box exactly. Where the crop sits
 * follows the spec's {@link io.thumbnail.Gravity} or {@link io.thumbnail.FocalPoint}; a smart crop starts centred
 * and is moved by {@link SmartCrop} once the image is decoded.
 */
public record ThumbnailPlan(int width, int height, double cropX, double cropY, double cropWidth, double cropHeight) {

    /**
     * Computes the output size for an upright source of {@code srcWidth} x {@code srcHeight}.
     * Sizes are rounded to the nearest pixel but never exceed the box: 613x624 into 100x100 gives 98x100.
     */
    public static ThumbnailPlan of(int srcWidth, int srcHeight, ThumbnailSpec spec, int maxOutputSide) {
        checkBox(spec, maxOutputSide);
        Integer bw = spec.width();
        Integer bh = spec.height();
        Fit fit = spec.fit();
        if (fit == Fit.FILL) {
            int w = bw;
            int h = bh;
            if (!spec.upscale() && (w > srcWidth || h > srcHeight)) {
                // Not enlarged: the box's shape, as large as the source, so the stretch is the one asked for (each
                // side capped on its own would give a shape nobody asked for).
                double k = Math.min(srcWidth / (double) w, srcHeight / (double) h);
                w = Math.max(1, (int) Math.round(w * k));
                h = Math.max(1, (int) Math.round(h * k));
            }
            return new ThumbnailPlan(w, h, 0, 0, 1, 1);
        }
        if (fit == Fit.COVER) {
            double scale = Math.max(bw / (double) srcWidth, bh / (double) srcHeight);
            if (!spec.upscale() && scale > 1) {
                // No upscaling: the largest centred crop with the box's aspect ratio, at the source's resolution.
                double k = Math.min(srcWidth / (double) bw, srcHeight / (double) bh);
                int w = Math.max(1, (int) Math.round(bw * k));
                int h = Math.max(1, (int) Math.round(bh * k));
                return placed(w, h, w / (double) srcWidth, h / (double) srcHeight, spec);
            }
            return placed(bw, bh, Math.min(1, bw / (scale * srcWidth)), Math.min(1, bh / (scale * srcHeight)), spec);
        }
        double scale = Math.min(bw == null ? Double.MAX_VALUE : bw / (double) srcWidth,
                bh == null ? Double.MAX_VALUE : bh / (double) srcHeight);
        if (!spec.upscale()) {
            scale = Math.min(scale, 1);
        }
        int w = side(srcWidth, scale, bw);
        int h = side(srcHeight, scale, bh);
        if (w > maxOutputSide || h > maxOutputSide) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC, "the thumbnail would be " + w + "x" + h
                    + " pixels; width and height must be at most " + maxOutputSide);
        }
        return new ThumbnailPlan(w, h, 0, 0, 1, 1);
    }

    /** Refuses, with {@code invalid_spec}, a box with a side past {@code maxOutputSide}, whatever the source. */
    public static void checkBox(ThumbnailSpec spec, int maxOutputSide) {
        Integer bw = spec.width();
        Integer bh = spec.height();
        if ((bw != null && bw > maxOutputSide) || (bh != null && bh > maxOutputSide)) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC,
                    "width and height must be at most " + maxOutputSide + " pixels (was "
                            + (bw == null ? "-" : bw) + "x" + (bh == null ? "-" : bh) + ")");
        }
    }

    /** A crop of the given size, where the spec's focus or gravity puts it. */
    private static ThumbnailPlan placed(int w, int h, double cropWidth, double cropHeight, ThumbnailSpec spec) {
        if (spec.focus() != null) {
            return new ThumbnailPlan(w, h, 0, 0, cropWidth, cropHeight).centredOn(spec.focus().x(), spec.focus().y());
        }
        Gravity g = spec.gravity();
        return new ThumbnailPlan(w, h, g.anchorX() * (1 - cropWidth), g.anchorY() * (1 - cropHeight),
                cropWidth, cropHeight);
    }

    /**
     * This plan with its crop centred on {@code (x, y)}, fractions of the upright source, as near as the crop can be
     * while it stays inside the source.
     */
    public ThumbnailPlan centredOn(double x, double y) {
        return new ThumbnailPlan(width, height, clamp(x - cropWidth / 2, 1 - cropWidth),
                clamp(y - cropHeight / 2, 1 - cropHeight), cropWidth, cropHeight);
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(v, max));
    }

    /** Whether the thumbnail shows the whole source, uncropped. */
    public boolean whole() {
        return cropX == 0 && cropY == 0 && cropWidth == 1 && cropHeight == 1;
    }

    /**
     * The smallest width, upright, a decoder may deliver the source at for this plan: the thumbnail's own width when
     * it shows the whole source (a decoder may then make exactly that size), else the whole source at the plan's scale.
     */
    public int decodeWidth(int srcWidth) {
        return whole() ? width : (int) Math.ceil(scaleX(srcWidth) * srcWidth);
    }

    /** The smallest height, upright, a decoder may deliver the source at for this plan; see {@link #decodeWidth}. */
    public int decodeHeight(int srcHeight) {
        return whole() ? height : (int) Math.ceil(scaleY(srcHeight) * srcHeight);
    }

    private static int side(int src, double scale, Integer box) {
        int v = (int) Math.round(src * scale);
        if (box != null) {
            v = Math.min(v, box);
        }
        return Math.max(1, v);
    }

    /** The horizontal scale from the source to the thumbnail. */
    public double scaleX(int srcWidth) {
        return width / (cropWidth * srcWidth);
    }

    /** The vertical scale from the source to the thumbnail. */
    public double scaleY(int srcHeight) {
        return height / (cropHeight * srcHeight);
    }
}
