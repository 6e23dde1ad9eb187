package io.thumbnail.internal.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Packed {@code 0xAARRGGBB} pixels, row by row, with no padding. The resizer and the encoder work on these
 * arrays directly: a loop over an {@code int[]} is many times faster than Java2D on the same pixels.
 *
 * @param alpha whether the alpha bytes mean anything; when false every pixel is treated as opaque
 */
record Pixels(int[] argb, int width, int height, boolean alpha) {
    Pixels {
        if (argb.length != width * height) {
            throw new IllegalArgumentException(width + "x" + height + " pixels need an array of " + width * height
                    + " ints, not " + argb.length);
        }
    }

    /** The pixels of {@code image}: its own array for plain INT_RGB/INT_ARGB images, a converted copy otherwise. */
    static Pixels of(BufferedImage image) {
        boolean alpha = image.getColorModel().hasAlpha();
        int type = plainType(image);
        BufferedImage plain = isPlain(image, type) ? image : redrawn(image, type);
        int[] data = ((DataBufferInt) plain.getRaster().getDataBuffer()).getData();
        return new Pixels(data, plain.getWidth(), plain.getHeight(), alpha);
    }

    /** Wraps the array, without copying, as a TYPE_INT_ARGB or TYPE_INT_RGB image. */
    BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(argb, 0, data, 0, argb.length);
        return image;
    }

    private static boolean isPlain(BufferedImage image, int type) {
        Raster raster = image.getRaster();
        return image.getType() == type
                && raster.getParent() == null
                && raster.getDataBuffer() instanceof DataBufferInt buffer
                && buffer.getNumBanks() == 1
                && buffer.getOffset() == 0
                && buffer.getSize() == image.getWidth() * image.getHeight();
    }

    /** TYPE_INT_ARGB for an image with an alpha channel, else TYPE_INT_RGB. */
    static int plainType(BufferedImage image) {
        return image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    }

    /** The image drawn by Java2D into a new image of {@code type}. */
    static BufferedImage redrawn(BufferedImage image, int type) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
