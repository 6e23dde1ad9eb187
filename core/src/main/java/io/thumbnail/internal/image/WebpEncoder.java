package io.thumbnail.internal.image;

import com.luciad.imageio.webp.WebPWriteParam;
import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Lossy WebP through libwebp, with an exact alpha channel when the image has one.
 *
 * <p>Lossy with alpha rather than lossless for transparent images: the colour is compressed like a photo's while the
 * alpha plane is kept losslessly, which made thumbnails of transparent photos and drawings 2-9 times smaller than PNG;
 * lossless WebP wins only on flat graphics of few colours, which are small as PNG already.
 *
 * <p>Method (libwebp's effort, 0-6) 4 is libwebp's and libvips' default: 6 made files no smaller at equal SSIM for
 * two and a half times the CPU, 2 halved the CPU but made files 7% larger.
 */
final class WebpEncoder {
    static final int METHOD = 4;

    private WebpEncoder() {
    }

    /**
     * @param image   TYPE_INT_RGB or TYPE_INT_ARGB (others are converted first: the binding writes premultiplied
     *                alpha as if it were not)
     * @param quality libwebp's quality, 1-100
     */
    static byte[] encode(BufferedImage image, int quality) throws IOException {
        checkSize(image.getWidth(), image.getHeight());
        BufferedImage plain = image.getType() == Pixels.plainType(image) ? image : Pixels.of(image).toImage();
        ImageWriter writer = Libwebp.writer();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            WebPWriteParam param = (WebPWriteParam) writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Lossy");
            param.setCompressionQuality(quality / 100f);
            param.setMethod(METHOD);
            param.setAlphaQuality(100);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(plain, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** WebP cannot hold a side over {@value Libwebp#MAX_SIDE} pixels; checked before any work is done. */
    static void checkSize(int width, int height) {
        if (width > Libwebp.MAX_SIDE || height > Libwebp.MAX_SIDE) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC, "a WebP image is at most " + Libwebp.MAX_SIDE
                    + " pixels a side, and this thumbnail would be " + width + "x" + height
                    + "; ask for a smaller size or for jpeg or png");
        }
    }
}
