package io.thumbnail;

/**
 * Resource limits, checked from the image header before any pixel is decoded.
 *
 * @param maxInputBytes largest accepted encoded input, in bytes, at least 1 (default 50 MiB); an image is read into
 *                      one array, so a limit past 2 GiB ({@code Long.MAX_VALUE} for none) allows 2 GiB less 8 bytes
 * @param maxPixels     largest accepted source, width x height summed over every frame, at least 1 (default 50
 *                      megapixels)
 * @param maxOutputSide largest thumbnail side a spec may ask for, 1 to {@link ThumbnailSpec#MAX_SIDE} (default 4096)
 */
public record Limits(long maxInputBytes, long maxPixels, int maxOutputSide) {
    public static final long DEFAULT_MAX_INPUT_BYTES = 50L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final int DEFAULT_MAX_OUTPUT_SIDE = 4096;

    /** @throws IllegalArgumentException for a value out of its range, naming it and the range */
    public Limits {
        if (maxInputBytes < 1) {
            throw new IllegalArgumentException("maxInputBytes must be at least 1 (was " + maxInputBytes + ")");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1 (was " + maxPixels + ")");
        }
        if (maxOutputSide < 1 || maxOutputSide > ThumbnailSpec.MAX_SIDE) {
            throw new IllegalArgumentException("maxOutputSide must be between 1 and " + ThumbnailSpec.MAX_SIDE + " (was "
                    + maxOutputSide + ")");
        }
    }

    /** 50 MiB, 50 megapixels and 4096 px sides: a camera photo passes, a decompression bomb does not. */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_MAX_OUTPUT_SIDE);
    }

    public Limits withMaxInputBytes(long value) {
        return new Limits(value, maxPixels, maxOutputSide);
    }

    public Limits withMaxPixels(long value) {
        return new Limits(maxInputBytes, value, maxOutputSide);
    }

    public Limits withMaxOutputSide(int value) {
        return new Limits(maxInputBytes, maxPixels, value);
    }
}
