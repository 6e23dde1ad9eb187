package io.thumbnail.bench;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * A progressive copy of a camera JPEG, as a web export or an image optimiser makes one: the raw YCbCr samples
 * re-encoded with the file's own quantisation tables and markers (EXIF orientation, ICC profile), so it shows the
 * same picture; only libjpeg's standard progression replaces the baseline scan. A JFIF segment after another
 * segment (which the JDK's reader refuses to parse) is left out of the copy.
 */
final class ProgressiveCopies {
    private ProgressiveCopies() {
    }

    /** Writes {@code DIR/progressive-NAME} and returns it. */
    static Path write(Path dir, Path source) throws IOException {
        Path target = dir.resolve("progressive-" + source.getFileName());
        ImageReader reader = jdkReader();
        byte[] data = withoutLateJfif(Files.readAllBytes(source));
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in);
            Raster raster = reader.readRaster(0, null);
            IIOMetadata markers = reader.getImageMetadata(0);
            ImageWriter writer = ImageIO.getImageWriter(reader);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(target))) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                writer.setOutput(out);
                writer.write(null, new IIOImage(raster, null, markers), param);
            } finally {
                writer.dispose();
            }
        } finally {
            reader.dispose();
        }
        return target;
    }

    /** The file without any APP0 "JFIF" segment that is not the first after SOI. */
    static byte[] withoutLateJfif(byte[] d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length);
        out.write(d, 0, 2);
        int i = 2;
        boolean first = true;
        while (i + 4 <= d.length && (d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) != 0xDA) {
            int length = (d[i + 2] & 0xFF) << 8 | d[i + 3] & 0xFF;
            boolean jfif = (d[i + 1] & 0xFF) == 0xE0 && length >= 7
                    && new String(d, i + 4, 4, StandardCharsets.ISO_8859_1).equals("JFIF");
            if (!jfif || first) {
                out.write(d, i, 2 + length);
            }
            first = false;
            i += 2 + length;
        }
        out.write(d, i, d.length - i);
        return out.toByteArray();
    }

    private static ImageReader jdkReader() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader reader = it.next();
            if (reader.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReader")) {
                return reader;
            }
            reader.dispose();
        }
        throw new IllegalStateException("the JDK's JPEG reader is missing");
    }
}
