package io.thumbnail.internal.image;

import io.thumbnail.ImageFixtures;
import io.thumbnail.ImageFormat;
import io.thumbnail.Limits;
import io.thumbnail.OutputFormat;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.corpus.Corpus;
import io.thumbnail.WebpFixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.thumbnail.ImageFixtures.distance;
import static io.thumbnail.ImageFixtures.meanRgb;
import static io.thumbnail.ImageFixtures.rgb;
import static io.thumbnail.internal.image.DecodedImages.alpha;
import static io.thumbnail.internal.image.DecodedImages.decode;
import static org.assertj.core.api.Assertions.assertThat;

/** Every supported format decodes to sRGB TYPE_INT_RGB, or TYPE_INT_ARGB when it really has transparency. */
class DecodingTest {
    private static final int ORANGE = 0xE07020;

    @Test
    void colours_still_multiplied_by_their_alpha_are_divided_back() {
        BufferedImage stored = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
        stored.getRaster().setPixel(0, 0, new int[] {0, 136, 0, 136}); // green at 53 %, as associated alpha stores it
        stored.getRaster().setPixel(1, 0, new int[] {200, 100, 50, 255}); // opaque: as it was

        BufferedImage straight = ImageDecoder.unpremultiplied(stored);

        assertThat(straight.getRaster().getPixel(0, 0, (int[]) null)).as("the half-transparent green")
                .containsExactly(0, 255, 0, 136);
        assertThat(straight.getRaster().getPixel(1, 0, (int[]) null)).as("the opaque pixel")
                .containsExactly(200, 100, 50, 255);
    }

    @Test
    void a_tiff_with_associated_alpha_from_the_corpus_keeps_its_colours() {
        Path corpus = Corpus.root();
        Assumptions.assumeTrue(corpus != null, "THUMBNAIL_CORPUS is not set");
        Thumbnail t = Thumbnailer.create(Limits.defaults()).thumbnail(corpus.resolve("alpha/tiff-associated-alpha.tif"),
                ThumbnailSpec.box(120, 120).withFormat(OutputFormat.PNG));
        BufferedImage image = ImageFixtures.read(t.bytes());

        int argb = image.getRGB(62, 50);
        assertThat(new int[] {argb >>> 24, (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF})
                .as("green at 53 %% (libvips: 136, 0, 255, 0)").containsExactly(136, 0, 255, 0);
    }

    @Test
    void each_format_is_read_by_the_intended_reader() {
        assertThat(readerClass(ImageFormat.JPEG)).as("JPEG: TwelveMonkeys handles CMYK, YCCK and broken ICC")
                .startsWith("com.twelvemonkeys.imageio.plugins.jpeg.");
        assertThat(readerClass(ImageFormat.TIFF)).as("TIFF: TwelveMonkeys reads BigTIFF")
                .startsWith("com.twelvemonkeys.imageio.plugins.tiff.");
        assertThat(readerClass(ImageFormat.WEBP)).startsWith("com.twelvemonkeys.imageio.plugins.webp.");
        assertThat(readerClass(ImageFormat.PNG)).startsWith("com.sun.imageio.plugins.png.");
        assertThat(readerClass(ImageFormat.GIF)).startsWith("com.sun.imageio.plugins.gif.");
    }

    @Test
    void baseline_jpeg_decodes_to_int_rgb_with_its_colour() {
        BufferedImage image = decode(ImageFixtures.jpeg(ImageFixtures.solid(40, 30, ORANGE), false));

        assertThat(image.getType()).as("type").isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(40);
        assertThat(distance(meanRgb(image, 0, 0, 40, 30), rgb(ORANGE))).as("colour").isLessThan(6);
    }

    @Test
    void progressive_jpeg_decodes_like_baseline() {
        BufferedImage image = decode(ImageFixtures.jpeg(ImageFixtures.solid(40, 30, ORANGE), true));

        assertThat(distance(meanRgb(image, 0, 0, 40, 30), rgb(ORANGE))).as("colour").isLessThan(6);
    }

    @Test
    void grayscale_jpeg_keeps_its_grey_levels() {
        BufferedImage gray = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 32, 32, 0, filled(32 * 32, 100));

        BufferedImage image = decode(ImageFixtures.jpeg(gray, false));

        assertThat(meanRgb(image, 0, 0, 32, 32)).as("grey 100 stays 100, not brightened as linear light")
                .containsExactly(new double[] {100, 100, 100}, org.assertj.core.data.Offset.offset(2.0));
    }

    @Test
    void palette_png_with_a_transparent_entry_keeps_that_pixel_transparent() {
        byte[] reds = {(byte) 255, 0};
        byte[] greens = {0, 0};
        byte[] blues = {0, (byte) 255};
        byte[] alphas = {(byte) 255, 0};
        BufferedImage palette = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, reds, greens, blues, alphas));
        palette.getRaster().setSample(7, 7, 0, 1);

        BufferedImage image = decode(ImageFixtures.write(palette, "png"));

        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
        assertThat(alpha(image, 7, 7)).as("transparent palette entry").isZero();
        assertThat(image.getRGB(0, 0)).as("opaque red entry").isEqualTo(0xFFFF0000);
    }

    @Test
    void rgb_png_with_a_trns_colour_key_makes_that_colour_transparent() {
        BufferedImage source = ImageFixtures.solid(8, 8, 0x00FF00);
        source.setRGB(0, 0, 0x123456);
        byte[] png = ImageFixtures.withPngChunk(ImageFixtures.write(source, "png"), "tRNS",
                new byte[] {0, 0x12, 0, 0x34, 0, 0x56});

        BufferedImage image = decode(png);

        assertThat(alpha(image, 0, 0)).as("keyed colour").isZero();
        assertThat(alpha(image, 1, 1)).as("other colours").isEqualTo(255);
    }

    @Test
    void sixteen_bit_png_is_reduced_to_eight_bits() {
        BufferedImage deep = new BufferedImage(new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_USHORT, 4, 4, 3, null),
                false, null);
        WritableRaster raster = deep.getRaster();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                raster.setPixel(x, y, new int[] {65535, 32896, 0});
            }
        }

        BufferedImage image = decode(ImageFixtures.write(deep, "png"));

        assertThat(image.getRGB(2, 2) & 0xFFFFFF).as("65535/32896/0 in 16 bits").isEqualTo(0xFF8000);
    }

    @Test
    void gray_alpha_png_keeps_grey_levels_and_alpha() {
        java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(4, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                raster.setPixel(x, y, new int[] {128, x == 0 ? 0 : 200});
            }
        }
        byte[] png = ImageFixtures.write(new BufferedImage(model, raster, false, null), "png");

        BufferedImage image = decode(png);

        assertThat(image.getRGB(2, 2)).as("grey 128 with alpha 200, not brightened").isEqualTo(0xC8808080);
        assertThat(alpha(image, 0, 1)).isZero();
    }

    @Test
    void interlaced_png_decodes() throws IOException {
        BufferedImage source = new BufferedImage(33, 17, BufferedImage.TYPE_INT_ARGB);
        source.setRGB(32, 16, 0x80FF0000);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(source, null, null), param);
        } finally {
            writer.dispose();
        }
        assertThat(bytes.toByteArray()[8 + 8 + 12]).as("IHDR interlace method: Adam7").isEqualTo((byte) 1);

        BufferedImage image = decode(bytes.toByteArray());

        assertThat(image.getRGB(32, 16)).isEqualTo(0x80FF0000);
        assertThat(alpha(image, 0, 0)).isZero();
    }

    @Test
    void animated_gif_shows_its_first_frame() {
        byte[] gif = ImageFixtures.animatedGif(List.of(indexed(0xFF0000), indexed(0x0000FF), indexed(0x00FF00)));

        BufferedImage image = decode(gif);

        assertThat(image.getRGB(5, 5) & 0xFFFFFF).as("first frame is red").isEqualTo(0xFF0000);
    }

    @Test
    void animated_gif_cut_inside_a_later_frame_still_shows_its_first_frame() {
        byte[] gif = ImageFixtures.animatedGif(List.of(indexed(0xFF0000), indexed(0x0000FF), indexed(0x00FF00)));
        byte[] cut = java.util.Arrays.copyOf(gif, gif.length - 8);

        BufferedImage image = decode(cut);

        assertThat(image.getRGB(5, 5) & 0xFFFFFF).as("first frame is red").isEqualTo(0xFF0000);
    }

    @Test
    void gif_frame_smaller_than_its_screen_is_shown_at_its_offset() {
        byte[] gif = ImageFixtures.write(indexed(0xFF0000), "gif");
        int descriptor = ImageFixtures.gifImageDescriptor(gif);
        gif[6] = 30; // logical screen 30x20
        gif[8] = 20;
        gif[descriptor + 1] = 15; // first frame at (15, 5)
        gif[descriptor + 3] = 5;

        BufferedImage image = decode(gif);

        assertThat(image.getWidth() + "x" + image.getHeight()).as("logical screen").isEqualTo("30x20");
        assertThat(image.getRGB(20, 10)).as("inside the frame").isEqualTo(0xFFFF0000);
        assertThat(alpha(image, 5, 5)).as("outside the frame").isZero();
    }

    @Test
    void bmp_and_wbmp_decode() {
        BufferedImage bmp = decode(ImageFixtures.write(ImageFixtures.solid(9, 7, ORANGE), "bmp"));
        BufferedImage binary = new BufferedImage(9, 7, BufferedImage.TYPE_BYTE_BINARY);
        binary.setRGB(3, 3, 0xFFFFFF);
        BufferedImage wbmp = decode(ImageFixtures.write(binary, "wbmp"));

        assertThat(bmp.getRGB(4, 4) & 0xFFFFFF).isEqualTo(ORANGE);
        assertThat(wbmp.getRGB(3, 3) & 0xFFFFFF).as("white pixel").isEqualTo(0xFFFFFF);
        assertThat(wbmp.getRGB(4, 4) & 0xFFFFFF).as("black pixel").isEqualTo(0);
    }

    @Test
    void tiff_decodes() {
        BufferedImage image = decode(ImageFixtures.write(ImageFixtures.solid(9, 7, ORANGE), "tiff"));

        assertThat(image.getRGB(4, 4) & 0xFFFFFF).isEqualTo(ORANGE);
    }

    @Test
    void bigtiff_decodes() {
        BufferedImage image = decode(ImageFixtures.bigTiff(5, 3, ORANGE));

        assertThat(image.getWidth()).isEqualTo(5);
        assertThat(image.getRGB(4, 2) & 0xFFFFFF).isEqualTo(ORANGE);
    }

    @Test
    void lossless_webp_with_alpha_keeps_its_alpha() {
        BufferedImage image = decode(WebpFixtures.solidLossless(21, 13, 0x80E07020));

        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
        assertThat(image.getWidth()).isEqualTo(21);
        assertThat(alpha(image, 20, 12)).as("alpha").isEqualTo(0x80);
        assertThat(distance(meanRgb(image, 20, 12, 1, 1), rgb(0xE07020))).as("colour (premultiplied rounding)")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void an_animation_of_one_frame_is_decoded_as_an_animation_not_refused_as_corrupt() {
        BufferedImage image = decode(WebpFixtures.animated(16, 16, List.of(0xFF00FF00)));

        assertThat(image.getWidth()).isEqualTo(16);
        assertThat(image.getRGB(8, 8) & 0xFFFFFF).as("its one frame, green").isEqualTo(0x00FF00);
    }

    @Test
    void animated_webp_shows_its_first_frame() {
        BufferedImage image = decode(WebpFixtures.animated(16, 16, List.of(0xFFFF0000, 0xFF0000FF)));

        assertThat(image.getRGB(8, 8) & 0xFFFFFF).as("first frame is red").isEqualTo(0xFF0000);
    }

    @Test
    void an_alpha_channel_without_transparent_pixels_decodes_opaque() {
        BufferedImage image = decode(ImageFixtures.write(withAlpha(0xFF336699), "png"));

        assertThat(image.getType()).as("no pixel is transparent").isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    private static String readerClass(ImageFormat format) {
        javax.imageio.ImageReader reader = ImageDecoder.readerFor(format);
        try {
            return reader.getClass().getName();
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage withAlpha(int argb) {
        BufferedImage image = new BufferedImage(6, 6, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(argb, true));
        g.fillRect(0, 0, 6, 6);
        g.dispose();
        return image;
    }

    private static BufferedImage indexed(int rgb) {
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, 10, 10);
        g.dispose();
        return image;
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
