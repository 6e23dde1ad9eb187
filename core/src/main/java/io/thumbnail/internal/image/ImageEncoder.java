package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/** Encodes an sRGB thumbnail as JPEG (always 8-bit RGB or grey, never CMYK) or PNG. */
public final class ImageEncoder {
    private ImageEncoder() {
    }

    public static byte[] encode(BufferedImage image, ImageFormat format, int quality, int background) {
        try {
            if (format == ImageFormat.JPEG) {
                return writeJpeg(flatten(image, background), quality);
            }
            return writePng(image);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not encode the thumbnail: " + e.getMessage(), e);
        }
    }

    /** Draws an image with alpha onto an opaque background; JPEG has no alpha, and unflattened alpha turns black. */
    static BufferedImage flatten(BufferedImage image, int background) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(new java.awt.Color(background));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static byte[] writeJpeg(BufferedImage image, int quality) throws IOException {
        ImageWriter writer = writer("jpeg");
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] writePng(BufferedImage image) throws IOException {
        ImageWriter writer = writer("png");
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static ImageWriter writer(String formatName) {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(formatName);
        if (!it.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + formatName);
        }
        return it.next();
    }
}
