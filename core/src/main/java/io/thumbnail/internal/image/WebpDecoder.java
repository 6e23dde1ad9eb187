package io.thumbnail.internal.image;

import com.luciad.imageio.webp.WebPReadParam;
import io.thumbnail.ImageFormat;
import io.thumbnail.internal.image.header.BoundedImageInputStream;
import io.thumbnail.internal.image.header.HeaderReader;
import io.thumbnail.internal.image.header.ImageHeader;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Decodes a still WebP with libwebp, the decoder browsers use. TwelveMonkeys' pure-Java WebP decoder, which
 * {@link ImageDecoder} keeps for animations and for platforms without libwebp, decodes some lossy files wrongly
 * without an error (a colour cast, misplaced blocks), and differs from libwebp by up to a few dozen levels even on
 * the files it gets right; libwebp's output is the reference ({@code dwebp} gives the same pixels).
 *
 * <p>libwebp leaves the ICC profile to the caller: it is applied here like a PNG's.
 */
final class WebpDecoder {
    private WebpDecoder() {
    }

    /**
     * Whether libwebp decodes this image here: a still WebP (libwebp's reader has no animation, not even one of a
     * single frame, which is a canvas with a frame placed on it).
     */
    static boolean decodes(ImageHeader header, byte[] data) {
        return header.frames() == 1 && !animated(data) && Libwebp.available();
    }

    /** Whether the file's VP8X chunk, if it has one, sets the animation flag. */
    static boolean animated(byte[] data) {
        return data.length > 20 && data[12] == 'V' && data[13] == 'P' && data[14] == '8' && data[15] == 'X'
                && (data[20] & 0x02) != 0;
    }

    /**
     * @param step read at 1/step of the size (libwebp's area-averaging scaler), 1 for the full size
     */
    static BufferedImage decode(byte[] data, ImageHeader header, int step) throws IOException {
        ImageReader reader = Libwebp.reader();
        try (ImageInputStream in = new BoundedImageInputStream(data, 0)) {
            reader.setInput(in, true, true);
            WebPReadParam param = (WebPReadParam) reader.getDefaultReadParam();
            if (step > 1) {
                param.setUseScaling(true);
                param.setScaledWidth(Math.max(1, header.width() / step));
                param.setScaledHeight(Math.max(1, header.height() / step));
            }
            BufferedImage image;
            try {
                image = reader.read(0, param);
            } catch (OutOfMemoryError e) {
                if (e.getMessage() != null) {
                    throw e; // the JVM's own: the heap is short
                }
                // The binding throws libwebp's status "out of memory" as an OutOfMemoryError without a message, and
                // libwebp gives that status for some damaged data (an alpha plane shorter than it declares); the
                // canvas was held to the limits before this decode.
                throw new IOException("libwebp refused the data (out of memory)", e);
            }
            return SrgbConverter.convert(image, SrgbConverter.profile(HeaderReader.iccProfile(data, ImageFormat.WEBP)));
        } finally {
            reader.dispose();
        }
    }
}
