package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.Fit;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;

/**
 * The geometry of one thumbnail: its output size and which part of the upright source it shows.
 * The crop is in fractions of the source (0..1), so it holds whatever resolution the decoder delivers.
 */
public record ThumbnailPlan(int width, int height, double cropX, double cropY, double cropWidth, double cropHeight) {

    /**
     * Computes the output size for an upright source of {@code srcWidth} x {@code srcHeight}.
     * Sizes are rounded to the nearest pixel but never exceed the box: 613x624 into 100x100 gives 98x100.
     */
    public static ThumbnailPlan of(int srcWidth, int srcHeight, ThumbnailSpec spec, int maxOutputSide) {
        Integer bw = spec.width();
        Integer bh = spec.height();
        if ((bw != null && bw > maxOutputSide) || (bh != null && bh > maxOutputSide)) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC,
                    "width and height must be at most " + maxOutputSide + " pixels (was "
                            + (bw == null ? "-" : bw) + "x" + (bh == null ? "-" : bh) + ")");
        }
        Fit fit = spec.fit();
        if (fit == Fit.FILL) {
            int w = bw;
            int h = bh;
            if (!spec.upscale()) {
                w = Math.min(w, srcWidth);
                h = Math.min(h, srcHeight);
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
                return centred(w, h, w / (double) srcWidth, h / (double) srcHeight);
            }
            return centred(bw, bh, Math.min(1, bw / (scale * srcWidth)), Math.min(1, bh / (scale * srcHeight)));
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

    private static ThumbnailPlan centred(int w, int h, double cropWidth, double cropHeight) {
        return new ThumbnailPlan(w, h, (1 - cropWidth) / 2, (1 - cropHeight) / 2, cropWidth, cropHeight);
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
