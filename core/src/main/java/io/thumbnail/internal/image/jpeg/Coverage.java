package io.thumbnail.internal.image.jpeg;

import java.awt.image.Raster;

/**
 * Where a reduced raster's pixels lie on the source image: each stands for a {@code step} x {@code step} cell of
 * source pixels, except that the last column and row stand only for what is left of the source's width and height.
 *
 * <p>A JPEG codes whole 8x8 blocks, padding its image out to them (libjpeg repeats the last pixel). At 1/8 a
 * block's mean becomes one raster pixel, so when the width is 8k+1 the raster's last column holds the mean of a
 * block with a single real column: weighted as a whole pixel it would stand for eight source columns of the edge's
 * colour. The scalers weight such a pixel by the part of a cell it covers instead. A raster point-subsampled by
 * {@code step} has the same cells, its last ones cut short by the image's edge the same way.
 *
 * @param step        source pixels a side of each raster pixel's cell
 * @param sourceWidth the source's width in pixels; the raster is this divided by {@code step}, rounded up, wide
 */
record Coverage(int step, int sourceWidth, int sourceHeight) {
    Coverage {
        if (step < 1 || sourceWidth < 1 || sourceHeight < 1) {
            throw new IllegalArgumentException("step " + step + " over " + sourceWidth + "x" + sourceHeight);
        }
    }

    /** A raster whose pixels are all whole: the source itself, or one a whole number of cells a side. */
    static Coverage whole(int width, int height) {
        return new Coverage(1, width, height);
    }

    /** The raster's width: the source's in cells, rounded up. */
    int width() {
        return ceilDiv(sourceWidth, step);
    }

    int height() {
        return ceilDiv(sourceHeight, step);
    }

    /** The part of a whole cell that the last column covers: in (0, 1]. */
    double lastColumn() {
        return (sourceWidth - (width() - 1L) * step) / (double) step;
    }

    double lastRow() {
        return (sourceHeight - (height() - 1L) * step) / (double) step;
    }

    /** The raster's width in whole pixels, its last column counted for the part it covers. */
    double extentX() {
        return sourceWidth / (double) step;
    }

    double extentY() {
        return sourceHeight / (double) step;
    }

    boolean isWhole() {
        return sourceWidth % step == 0 && sourceHeight % step == 0;
    }

    /** Whether the raster has the size this coverage gives it. */
    boolean fits(Raster raster) {
        return raster.getWidth() == width() && raster.getHeight() == height();
    }

    /** Throws unless the raster has the size this coverage gives it. */
    void check(Raster raster) {
        if (!fits(raster)) {
            throw new IllegalArgumentException("a " + raster.getWidth() + "x" + raster.getHeight()
                    + " raster is not " + sourceWidth + "x" + sourceHeight + " in cells of " + step);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (int) ((a + (long) b - 1) / b);
    }
}
