package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Encodes an sRGB thumbnail as JPEG (always 8-bit RGB or grey, never CMYK), PNG, or WebP (lossy, alpha kept exactly;
 * see {@link WebpEncoder}). The thumbnail of a greyscale source is written grey where the format has a grey mode.
 */
public final class ImageEncoder {
    /**
     * From this JPEG quality on, colour keeps the image's full resolution (4:4:4), as libjpeg's cjpeg, libvips and
     * sharp do: below it, halving the colour planes (4:2:0) costs less than the quality asked for gives up anyway;
     * above it, colour edges (red on white, fine coloured lines) would blur whatever the quality.
     */
    public static final int FULL_CHROMA_QUALITY = 90;
    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

    private ImageEncoder() {
    }

    public static byte[] encode(BufferedImage image, ImageFormat format, int quality, int background) {
        return encode(image, format, quality, background, false);
    }

    /**
     * @param grey the image is the thumbnail of a greyscale source, so red, green and blue are equal in every pixel:
     *             a JPEG is written with one component and a PNG as grey (with alpha where it has one), as libvips
     *             keeps a greyscale image single-band, at the same levels and a third of the samples. WebP has no
     *             grey mode. A transparent image flattened onto a background in colour is in colour, and so is its
     *             JPEG.
     */
    public static byte[] encode(BufferedImage image, ImageFormat format, int quality, int background, boolean grey) {
        try {
            return switch (format) {
                case JPEG -> {
                    BufferedImage flat = flatten(image, background);
                    boolean greyStill = grey && (!image.getColorModel().hasAlpha() || isGrey(background));
                    yield writeJpeg(greyStill ? greyBytes(flat) : rgbBytes(flat), quality);
                }
                case WEBP -> WebpEncoder.encode(image, quality);
                case PNG -> writePng(grey ? greyBytes(image) : image);
                default -> throw new IllegalArgumentException("thumbnails are not written as " + format.id());
            };
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not encode the thumbnail: " + e.getMessage(), e);
        }
    }

    /** Refuses, before any pixel is decoded, a WebP thumbnail that could not be written: no libwebp, or too large. */
    public static void checkWebp(int width, int height) {
        Libwebp.requireAvailable();
        WebpEncoder.checkSize(width, height);
    }

    /** Whether a WebP thumbnail of this size can be written here. */
    public static boolean canWriteWebp(int width, int height) {
        return Libwebp.available() && width <= Libwebp.MAX_SIDE && height <= Libwebp.MAX_SIDE;
    }

    /**
     * Composites an image with alpha over an opaque background colour. JPEG has no alpha channel: written as is,
     * transparent pixels would come out as whatever colour they hide (usually black).
     */
    static BufferedImage flatten(BufferedImage image, int background) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        Pixels p = Pixels.of(image);
        int[] in = p.argb();
        int[] out = new int[in.length];
        int br = (background >> 16) & 0xFF;
        int bg = (background >> 8) & 0xFF;
        int bb = background & 0xFF;
        for (int i = 0; i < in.length; i++) {
            int px = in[i];
            int a = px >>> 24;
            out[i] = 0xFF000000 | over(px >> 16, br, a) << 16 | over(px >> 8, bg, a) << 8 | over(px, bb, a);
        }
        return new Pixels(out, p.width(), p.height(), false).toImage();
    }

    private static int over(int channel, int background, int alpha) {
        return ((channel & 0xFF) * alpha + background * (255 - alpha) + 127) / 255;
    }

    private static boolean isGrey(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        return r == ((rgb >> 8) & 0xFF) && r == (rgb & 0xFF);
    }

    /** @param image bytes as the JPEG writer takes them: {@link #rgbBytes} or {@link #greyBytes} */
    private static byte[] writeJpeg(BufferedImage image, int quality) throws IOException {
        return write(image, "jpeg", param -> {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
        }, quality >= FULL_CHROMA_QUALITY ? ImageEncoder::fullChroma : null);
    }

    /** What a writer is given besides the pixels: the image's metadata, for the writer, image and settings. */
    @FunctionalInterface
    private interface Metadata {
        IIOMetadata of(ImageWriter writer, BufferedImage image, ImageWriteParam param) throws IOException;
    }

    /** The JPEG writer's default metadata for {@code image}, with every component sampled at full resolution. */
    private static IIOMetadata fullChroma(ImageWriter writer, BufferedImage image, ImageWriteParam param)
            throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                param);
        Node tree = metadata.getAsTree(JPEG_METADATA);
        NodeList components = ((Element) tree).getElementsByTagName("componentSpec");
        for (int i = 0; i < components.getLength(); i++) {
            Element component = (Element) components.item(i);
            component.setAttribute("HsamplingFactor", "1");
            component.setAttribute("VsamplingFactor", "1");
        }
        metadata.setFromTree(JPEG_METADATA, tree);
        return metadata;
    }

    /**
     * The pixels as bytes in R, G, B order, which is how the JDK's JPEG writer hands rows to libjpeg: it then copies
     * each row with one array copy, where from packed ints it converts pixel by pixel in Java (a loop that, in a
     * short-lived process, is compiled at start for nothing else).
     */
    static BufferedImage rgbBytes(BufferedImage image) {
        Pixels p = Pixels.of(image);
        int[] in = p.argb();
        byte[] out = new byte[in.length * 3];
        for (int i = 0, o = 0; i < in.length; i++, o += 3) {
            int px = in[i];
            out[o] = (byte) (px >> 16);
            out[o + 1] = (byte) (px >> 8);
            out[o + 2] = (byte) px;
        }
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(out, out.length), p.width(),
                p.height(), p.width() * 3, 3, new int[]{0, 1, 2}, null);
        ColorModel rgb = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(rgb, raster, false, null);
    }

    /**
     * The grey levels (and alpha, where it has any) of an image whose red, green and blue are equal, one byte a sample:
     * the JPEG writer makes one component of it, the PNG writer colour type 0 or 4. Tagged as the JDK's grey, whose
     * samples both write as they are, with no profile.
     */
    static BufferedImage greyBytes(BufferedImage image) {
        Pixels p = Pixels.of(image);
        int[] in = p.argb();
        int bands = p.alpha() ? 2 : 1;
        byte[] out = new byte[in.length * bands];
        for (int i = 0, o = 0; i < in.length; i++, o += bands) {
            int px = in[i];
            out[o] = (byte) (px >> 8);
            if (p.alpha()) {
                out[o + 1] = (byte) (px >>> 24);
            }
        }
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(out, out.length), p.width(),
                p.height(), p.width() * bands, bands, p.alpha() ? new int[]{0, 1} : new int[]{0}, null);
        ColorModel grey = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), p.alpha(), false,
                p.alpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(grey, raster, false, null);
    }

    private static byte[] writePng(BufferedImage image) throws IOException {
        return write(image, "png", param -> {
        }, null);
    }

    private static byte[] write(BufferedImage image, String formatName, Consumer<ImageWriteParam> settings,
                                Metadata metadata) throws IOException {
        ImageWriter writer = writer(formatName);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        // In memory: ImageIO.createImageOutputStream would go through a temporary file while ImageIO's cache is on.
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            settings.accept(param);
            writer.write(null, new IIOImage(image, null, metadata == null ? null
                    : metadata.of(writer, image, param)), param);
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
