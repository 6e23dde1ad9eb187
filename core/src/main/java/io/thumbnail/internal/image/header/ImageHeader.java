package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;

/**
 * What the header of an encoded image says, read without decoding pixels.
 *
 * @param width       stored width (before EXIF orientation)
 * @param height      stored height (before EXIF orientation)
 * @param frames      number of frames (1 for still images)
 * @param orientation EXIF orientation 1-8 (1 when absent or unreadable)
 * @param grey        whether the image is stored greyscale: one colour channel, with or without alpha (a JPEG of one
 *                    component, a PNG of colour type 0 or 4, a TIFF whose photometric interpretation is grey, any
 *                    WBMP). An RGB image whose pixels happen to be grey is not: that would take a look at every
 *                    pixel.
 */
public record ImageHeader(ImageFormat format, int width, int height, int frames, int orientation, boolean grey) {
    /** A header of an image stored in colour (or in a format without a grey mode). */
    public ImageHeader(ImageFormat format, int width, int height, int frames, int orientation) {
        this(format, width, height, frames, orientation, false);
    }

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
