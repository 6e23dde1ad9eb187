package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;

/**
 * What the header of an encoded image says, read without decoding pixels.
 *
 * @param width       stored width (before EXIF orientation)
 * @param height      stored height (before EXIF orientation)
 * @param frames      number of frames (1 for still images)
 * @param orientation EXIF orientation 1-8 (1 when absent or unreadable)
 */
public record ImageHeader(ImageFormat format, int width, int height, int frames, int orientation) {
    /** Whether the orientation swaps width and height (orientations 5 to 8 turn the image by 90 degrees). */
    public boolean transposed() {
        return orientation >= 5 && orientation <= 8;
    }

    public int uprightWidth() {
        return transposed() ? height : width;
    }

    public int uprightHeight() {
        return transposed() ? width : height;
    }

    /** Pixels summed over every frame; what {@code Limits.maxPixels} is checked against. */
    public long totalPixels() {
        return (long) width * height * Math.max(1, frames);
    }
}
