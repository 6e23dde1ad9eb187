package io.thumbnail;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds test images in memory: written with ImageIO, then patched by hand where ImageIO cannot. */
public final class ImageFixtures {
    private ImageFixtures() {
    }

    /** An opaque image of one colour. */
    public static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    public static byte[] write(RenderedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and this image type");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG at high quality, baseline or progressive; also writes 4-band rasters as raw CMYK/YCCK. */
    public static byte[] jpeg(Object imageOrRaster, boolean progressive) {
        return jpeg(imageOrRaster, 95, progressive);
    }

    /** A JPEG at {@code quality} (1-100), baseline or progressive, of an image or a raw raster. */
    public static byte[] jpeg(Object imageOrRaster, int quality, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOImage iio = imageOrRaster instanceof Raster raster
                    ? new IIOImage(raster, null, null) : new IIOImage((RenderedImage) imageOrRaster, null, null);
            writer.write(null, iio, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    public static byte[] jpeg(BufferedImage image) {
        return jpeg(image, false);
    }

    /** Inserts a marker segment right after SOI. */
    public static byte[] withJpegSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** An APP1 payload: "Exif\0\0" and a big-endian TIFF structure whose IFD0 holds only Orientation. */
    public static byte[] exifOrientation(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4);
        b.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        return withJpegSegment(jpeg, 0xE1, exifOrientation(orientation));
    }

    /** The TIFF structure of {@link #exifOrientation}, without the "Exif\0\0" a JPEG puts first. */
    private static byte[] tiffOrientation(int orientation) {
        byte[] app1 = exifOrientation(orientation);
        return Arrays.copyOfRange(app1, 6, app1.length);
    }

    /** Inserts an eXIf chunk holding {@code orientation} right after a PNG's IHDR. */
    public static byte[] withPngExifOrientation(byte[] png, int orientation) {
        byte[] chunk = pngChunk("eXIf", tiffOrientation(orientation));
        int afterIhdr = 8 + 25;
        return ByteBuffer.allocate(png.length + chunk.length).put(png, 0, afterIhdr).put(chunk)
                .put(png, afterIhdr, png.length - afterIhdr).array();
    }

    /** A simple WebP of {@code width} x {@code height} made extended (VP8X), its EXIF chunk of {@code orientation}. */
    public static byte[] withWebpExifOrientation(byte[] simpleWebp, int width, int height, int orientation) {
        byte[] exif = tiffOrientation(orientation);
        int chunks = simpleWebp.length - 12;
        int size = 4 + 18 + chunks + 8 + exif.length + (exif.length & 1);
        ByteBuffer out = ByteBuffer.allocate(8 + size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(size)
                .put("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        out.put("VP8X".getBytes(StandardCharsets.ISO_8859_1)).putInt(10).put((byte) 0x08).put(new byte[3]);
        out.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        out.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        out.put(simpleWebp, 12, chunks);
        out.put("EXIF".getBytes(StandardCharsets.ISO_8859_1)).putInt(exif.length).put(exif);
        if ((exif.length & 1) == 1) {
            out.put((byte) 0);
        }
        return out.array();
    }

    /** Embeds an ICC profile as APP2 ICC_PROFILE segments (one chunk: test profiles are small). */
    public static byte[] withJpegIcc(byte[] jpeg, byte[] profile) {
        byte[] tag = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] payload = new byte[tag.length + 2 + profile.length];
        System.arraycopy(tag, 0, payload, 0, tag.length);
        payload[tag.length] = 1;
        payload[tag.length + 1] = 1;
        System.arraycopy(profile, 0, payload, tag.length + 2, profile.length);
        return withJpegSegment(jpeg, 0xE2, payload);
    }

    /** An Adobe APP14 payload; transform 0 means CMYK (stored inverted), 2 means YCCK. */
    public static byte[] adobeSegment(int transform) {
        return ByteBuffer.allocate(12).put("Adobe".getBytes(StandardCharsets.ISO_8859_1))
                .putShort((short) 100).putShort((short) 0).putShort((short) 0).put((byte) transform).array();
    }

    /** Inserts a PNG chunk right after IHDR. */
    public static byte[] withPngChunk(byte[] png, String type, byte[] data) {
        int afterIhdr = 8 + 8 + 13 + 4;
        ByteBuffer out = ByteBuffer.allocate(png.length + 12 + data.length);
        out.put(png, 0, afterIhdr);
        out.put(pngChunk(type, data));
        out.put(png, afterIhdr, png.length - afterIhdr);
        return out.array();
    }

    public static byte[] pngChunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** A PNG iCCP chunk's data: profile name, NUL, method 0, deflated profile. */
    public static byte[] iccpData(byte[] profile) {
        Deflater deflater = new Deflater();
        deflater.setInput(profile);
        deflater.finish();
        byte[] buffer = new byte[profile.length + 1024];
        int n = deflater.deflate(buffer);
        deflater.end();
        byte[] name = "test\0\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(name, name.length + n);
        System.arraycopy(buffer, 0, out, name.length, n);
        return out;
    }

    /** A PNG 8-bit IHDR-only file head with the given size (and nothing a decoder could use). */
    public static byte[] pngHeaderOnly(int width, int height, byte[] idat) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        out.writeBytes(pngChunk("IDAT", idat));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** The sRGB profile with its red, green and blue colorants replaced (a matrix/TRC profile). */
    public static byte[] rgbProfile(double[] redXyz, double[] greenXyz, double[] blueXyz) {
        ICC_Profile profile = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        profile.setData(ICC_Profile.icSigRedColorantTag, xyzTag(redXyz));
        profile.setData(ICC_Profile.icSigGreenColorantTag, xyzTag(greenXyz));
        profile.setData(ICC_Profile.icSigBlueColorantTag, xyzTag(blueXyz));
        return profile.getData();
    }

    /** The sRGB profile with red, green and blue colorants rotated: stored R shows as green, G as blue, B as red. */
    public static byte[] channelRotatingProfile() {
        ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
        ICC_Profile profile = ICC_Profile.getInstance(srgb.getData());
        profile.setData(ICC_Profile.icSigRedColorantTag, srgb.getData(ICC_Profile.icSigGreenColorantTag));
        profile.setData(ICC_Profile.icSigGreenColorantTag, srgb.getData(ICC_Profile.icSigBlueColorantTag));
        profile.setData(ICC_Profile.icSigBlueColorantTag, srgb.getData(ICC_Profile.icSigRedColorantTag));
        return profile.getData();
    }

    /** Display P3: sRGB's tone curve with P3 primaries, adapted to D50 as ICC requires. */
    public static byte[] displayP3Profile() {
        return rgbProfile(new double[] {0.515121, 0.241196, -0.001053},
                new double[] {0.291977, 0.692245, 0.041885},
                new double[] {0.157104, 0.066574, 0.784073});
    }

    private static byte[] xyzTag(double[] xyz) {
        ByteBuffer b = ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.ISO_8859_1)).putInt(0);
        for (double v : xyz) {
            b.putInt((int) Math.round(v * 65536));
        }
        return b.array();
    }

    /** An animated GIF, one frame per image. */
    public static byte[] animatedGif(List<BufferedImage> frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
                IIOMetadata metadata = writer.getDefaultImageMetadata(type, null);
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree("javax_imageio_gif_image_1.0", root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a thumbnail back as a browser shows it: a grey one as RGB of its levels (ImageIO tags grey as linear light,
     * so its {@code getRGB} would brighten mid greys). Fails the test when it cannot be read.
     */
    public static BufferedImage read(byte[] encoded) {
        BufferedImage image = readAsStored(encoded);
        if (image.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return image;
        }
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(),
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Raster raster = image.getRaster();
        int max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int v = raster.getSample(x, y, 0) * 255 / max;
                int a = alpha ? raster.getSample(x, y, 1) * 255 / max : 255;
                rgb.setRGB(x, y, a << 24 | v << 16 | v << 8 | v);
            }
        }
        return rgb;
    }

    /** Reads a thumbnail back as ImageIO decodes it, samples and bands as stored; fails when it cannot be read. */
    public static BufferedImage readAsStored(byte[] encoded) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
            if (image == null) {
                throw new IllegalStateException("not a readable image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean {r, g, b} over a rectangle. */
    public static double[] meanRgb(BufferedImage image, int x0, int y0, int width, int height) {
        double[] sum = new double[3];
        for (int y = y0; y < y0 + height; y++) {
            for (int x = x0; x < x0 + width; x++) {
                int p = image.getRGB(x, y);
                sum[0] += (p >> 16) & 0xFF;
                sum[1] += (p >> 8) & 0xFF;
                sum[2] += p & 0xFF;
            }
        }
        int n = width * height;
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    /** Largest per-channel difference between two colours. */
    public static double distance(double[] a, double[] b) {
        return Math.max(Math.abs(a[0] - b[0]), Math.max(Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])));
    }

    public static double[] rgb(int rgb) {
        return new double[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
    }

    /** A 4-band byte raster for CMYK/YCCK JPEGs. */
    public static java.awt.image.WritableRaster fourBandRaster(int width, int height) {
        return Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    }

    /** A little-endian BigTIFF (version 43, 8-byte offsets): uncompressed 8-bit RGB in one strip. */
    public static byte[] bigTiff(int width, int height, int rgb) {
        return bigTiff(width, height, rgb, true);
    }

    /** The BigTIFF header and directory of a {@code width} x {@code height} image, without its pixels. */
    public static byte[] bigTiffHeader(int width, int height) {
        return bigTiff(width, height, 0, false);
    }

    private static byte[] bigTiff(int width, int height, int rgb, boolean withPixels) {
        int entries = 8;
        int ifd = 16;
        int pixels = ifd + 8 + entries * 20 + 8;
        ByteBuffer b = ByteBuffer.allocate(pixels + (withPixels ? width * height * 3 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(ifd);
        b.putLong(entries);
        entry(b, 256, 3, 1, width);       // ImageWidth
        entry(b, 257, 3, 1, height);      // ImageLength
        entry(b, 258, 3, 3, 0x0008_0008_0008L); // BitsPerSample 8,8,8 inline
        entry(b, 259, 3, 1, 1);           // no compression
        entry(b, 262, 3, 1, 2);           // RGB
        entry(b, 273, 16, 1, pixels);     // StripOffsets (LONG8)
        entry(b, 277, 3, 1, 3);           // SamplesPerPixel
        entry(b, 279, 16, 1, (long) width * height * 3); // StripByteCounts
        b.putLong(0);
        for (int i = 0; withPixels && i < width * height; i++) {
            b.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
        }
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, long count, long value) {
        b.putShort((short) tag).putShort((short) type).putLong(count).putLong(value);
    }

    /** Offset of a GIF's first image descriptor (0x2C), after the colour table and any extensions. */
    public static int gifImageDescriptor(byte[] gif) {
        int flags = gif[10] & 0xFF;
        int pos = 13 + ((flags & 0x80) == 0 ? 0 : 3 << ((flags & 7) + 1));
        while ((gif[pos] & 0xFF) == 0x21) {
            pos += 2;
            while (gif[pos] != 0) {
                pos += 1 + (gif[pos] & 0xFF);
            }
            pos++;
        }
        if ((gif[pos] & 0xFF) != 0x2C) {
            throw new IllegalArgumentException("no image descriptor at " + pos);
        }
        return pos;
    }
}
