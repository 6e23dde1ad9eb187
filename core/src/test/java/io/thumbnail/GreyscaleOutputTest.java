package io.thumbnail;

import org.junit.jupiter.api.Test;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A greyscale source (one colour channel, with or without alpha) makes a greyscale JPEG or PNG, as libvips keeps a
 * B_W image single-band, at the levels its RGB twin's thumbnail has (the same pixels stored as RGB, which stays RGB).
 * Thumbnails are read back with ImageIO and compared sample by sample: the grey level with each of red, green and blue.
 */
class GreyscaleOutputTest {
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());
    private static final ThumbnailSpec BOX = ThumbnailSpec.box(160, 160);

    @Test
    void a_one_component_jpeg_becomes_a_one_component_jpeg_at_the_levels_of_its_rgb_twin() {
        // 1600 wide into 160: the DCT-domain reduction; 400 wide: the JDK reader's raster and the kernel.
        for (int width : new int[] {1600, 400}) {
            int height = width * 3 / 4;
            Thumbnail grey = THUMBNAILER.thumbnail(ImageFixtures.jpeg(grey8(width, height), false), BOX);
            Thumbnail rgb = THUMBNAILER.thumbnail(ImageFixtures.jpeg(rgbTwin(grey8(width, height)), false), BOX);

            assertThat(grey.format()).as("format of a %dx%d source", width, height).isEqualTo(ImageFormat.JPEG);
            assertThat(bands(grey)).as("components of the thumbnail of a grey %dx%d JPEG", width, height).isEqualTo(1);
            assertThat(bands(rgb)).as("components of the thumbnail of its RGB twin").isEqualTo(3);
            assertSameLevels(grey, rgb);
        }
    }

    @Test
    void an_8_bit_grey_png_becomes_a_grey_png_at_the_levels_of_its_rgb_twin() {
        Thumbnail grey = THUMBNAILER.thumbnail(png(grey8(400, 300)), BOX.withFormat(OutputFormat.PNG));
        Thumbnail rgb = THUMBNAILER.thumbnail(png(rgbTwin(grey8(400, 300))), BOX.withFormat(OutputFormat.PNG));

        assertThat(bands(grey)).as("channels of the thumbnail of a grey PNG").isEqualTo(1);
        assertThat(bands(rgb)).as("channels of the thumbnail of its RGB twin").isEqualTo(3);
        assertSameLevels(grey, rgb);
    }

    @Test
    void a_grey_png_as_jpeg_is_a_one_component_jpeg_at_the_levels_of_its_rgb_twin() {
        Thumbnail grey = THUMBNAILER.thumbnail(png(grey8(400, 300)), BOX);
        Thumbnail rgb = THUMBNAILER.thumbnail(png(rgbTwin(grey8(400, 300))), BOX);

        assertThat(grey.format()).as("auto format of an opaque grey PNG").isEqualTo(ImageFormat.JPEG);
        assertThat(bands(grey)).as("components").isEqualTo(1);
        assertSameLevels(grey, rgb);
    }

    @Test
    void a_16_bit_grey_png_becomes_an_8_bit_grey_png_at_the_levels_of_its_rgb_twin() {
        BufferedImage deep = new BufferedImage(400, 300, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage twin = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                int level = level(x, y);
                deep.getRaster().setSample(x, y, 0, Math.min(65535, level * 257 + (x % 7) * 9));
                twin.setRGB(x, y, level << 16 | level << 8 | level);
            }
        }
        Thumbnail grey = THUMBNAILER.thumbnail(png(deep), BOX.withFormat(OutputFormat.PNG));
        Thumbnail rgb = THUMBNAILER.thumbnail(png(twin), BOX.withFormat(OutputFormat.PNG));

        assertThat(bands(grey)).as("channels").isEqualTo(1);
        assertThat(read(grey).getColorModel().getComponentSize(0)).as("bits a sample").isEqualTo(8);
        assertSameLevels(grey, rgb);
    }

    @Test
    void a_grey_and_alpha_png_becomes_a_grey_and_alpha_png_at_the_levels_of_its_rgba_twin() {
        BufferedImage greyAlpha = greyAlpha(400, 300);
        Thumbnail grey = THUMBNAILER.thumbnail(png(greyAlpha), BOX);
        Thumbnail rgba = THUMBNAILER.thumbnail(png(rgbTwin(greyAlpha)), BOX);

        assertThat(grey.format()).as("auto format of a transparent source").isEqualTo(ImageFormat.PNG);
        assertThat(bands(grey)).as("channels: grey and alpha").isEqualTo(2);
        assertThat(read(grey).getColorModel().hasAlpha()).as("alpha").isTrue();
        assertThat(bands(rgba)).as("channels of the thumbnail of its RGBA twin").isEqualTo(4);
        assertSameLevels(grey, rgba);
    }

    @Test
    void a_grey_and_alpha_png_as_jpeg_on_a_grey_background_is_a_one_component_jpeg() {
        ThumbnailSpec jpeg = BOX.withFormat(OutputFormat.JPEG).withBackground(0x808080);
        Thumbnail grey = THUMBNAILER.thumbnail(png(greyAlpha(400, 300)), jpeg);
        Thumbnail rgb = THUMBNAILER.thumbnail(png(rgbTwin(greyAlpha(400, 300))), jpeg);

        assertThat(bands(grey)).as("components").isEqualTo(1);
        assertSameLevels(grey, rgb);
    }

    @Test
    void a_grey_and_alpha_png_as_jpeg_on_a_background_in_colour_is_in_colour() {
        Thumbnail onRed = THUMBNAILER.thumbnail(png(greyAlpha(400, 300)),
                BOX.withFormat(OutputFormat.JPEG).withBackground(0xFF0000));

        assertThat(bands(onRed)).as("components of a grey image flattened onto red").isEqualTo(3);
    }

    @Test
    void a_grey_tiff_becomes_a_one_component_jpeg_at_the_levels_of_its_rgb_twin() {
        Thumbnail grey = THUMBNAILER.thumbnail(ImageFixtures.write(grey8(400, 300), "tiff"), BOX);
        Thumbnail rgb = THUMBNAILER.thumbnail(ImageFixtures.write(rgbTwin(grey8(400, 300)), "tiff"), BOX);

        assertThat(bands(grey)).as("components").isEqualTo(1);
        assertThat(bands(rgb)).as("components of the thumbnail of its RGB twin").isEqualTo(3);
        assertSameLevels(grey, rgb);
    }

    @Test
    void a_black_and_white_wbmp_becomes_a_grey_png() {
        BufferedImage bilevel = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < 300; y++) {
            for (int x = 200; x < 400; x++) {
                bilevel.getRaster().setSample(x, y, 0, 1); // white on the right, black on the left
            }
        }

        Thumbnail thumbnail = THUMBNAILER.thumbnail(ImageFixtures.write(bilevel, "wbmp"),
                BOX.withFormat(OutputFormat.PNG));

        assertThat(bands(thumbnail)).as("channels").isEqualTo(1);
        assertThat(read(thumbnail).getRaster().getSample(10, 60, 0)).as("left half").isZero();
        assertThat(read(thumbnail).getRaster().getSample(150, 60, 0)).as("right half").isEqualTo(255);
    }

    @Test
    void an_rgb_image_whose_pixels_are_all_grey_stays_rgb() {
        Thumbnail jpeg = THUMBNAILER.thumbnail(ImageFixtures.jpeg(rgbTwin(grey8(400, 300)), false), BOX);
        Thumbnail png = THUMBNAILER.thumbnail(png(rgbTwin(grey8(400, 300))), BOX.withFormat(OutputFormat.PNG));

        assertThat(bands(jpeg)).as("components of the JPEG thumbnail").isEqualTo(3);
        assertThat(bands(png)).as("channels of the PNG thumbnail").isEqualTo(3);
    }

    @Test
    void a_grey_jpeg_turned_by_its_exif_orientation_is_upright_and_grey() {
        byte[] turned = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(grey8(400, 300), false), 6);
        byte[] turnedTwin = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(rgbTwin(grey8(400, 300)), false), 6);
        Thumbnail grey = THUMBNAILER.thumbnail(turned, BOX);
        Thumbnail rgb = THUMBNAILER.thumbnail(turnedTwin, BOX);

        assertThat(grey.width() + "x" + grey.height()).as("upright size").isEqualTo("120x160");
        assertThat(bands(grey)).as("components").isEqualTo(1);
        assertSameLevels(grey, rgb);
    }

    @Test
    void a_cover_crop_of_a_grey_png_is_grey_at_the_levels_of_its_rgb_twin() {
        ThumbnailSpec cover = ThumbnailSpec.box(100, 100).withFit(Fit.COVER).withGravity(Gravity.EAST);
        Thumbnail grey = THUMBNAILER.thumbnail(png(grey8(400, 300)), cover);
        Thumbnail rgb = THUMBNAILER.thumbnail(png(rgbTwin(grey8(400, 300))), cover);

        assertThat(grey.width() + "x" + grey.height()).as("size").isEqualTo("100x100");
        assertThat(bands(grey)).as("components").isEqualTo(1);
        assertSameLevels(grey, rgb);
    }

    /**
     * A grey image tagged with a grey profile shows, in a browser, its levels converted through the profile to sRGB;
     * the thumbnail is those sRGB levels, written as plain grey (no profile). Level 128 under a gamma 1.8 curve is
     * sRGB 146.
     */
    @Test
    void a_grey_jpeg_with_a_grey_profile_is_written_plain_grey_at_the_levels_a_browser_shows() {
        byte[] tagged = ImageFixtures.withJpegIcc(ImageFixtures.jpeg(flatGrey(400, 300, 128), false), gamma18Grey());

        Thumbnail thumbnail = THUMBNAILER.thumbnail(tagged, BOX);

        assertThat(bands(thumbnail)).as("components").isEqualTo(1);
        assertThat(read(thumbnail).getRaster().getSample(80, 60, 0)).as("level of grey 128 under gamma 1.8")
                .isBetween(145, 147);
        assertThat(new String(thumbnail.bytes(), StandardCharsets.ISO_8859_1)).as("the thumbnail's bytes")
                .doesNotContain("ICC_PROFILE");
    }

    @Test
    void a_grey_png_with_a_grey_profile_is_written_plain_grey_at_the_levels_a_browser_shows() {
        byte[] tagged = ImageFixtures.withPngChunk(png(flatGrey(400, 300, 128)), "iCCP",
                ImageFixtures.iccpData(gamma18Grey()));

        Thumbnail thumbnail = THUMBNAILER.thumbnail(tagged, BOX.withFormat(OutputFormat.PNG));

        assertThat(bands(thumbnail)).as("channels").isEqualTo(1);
        assertThat(read(thumbnail).getRaster().getSample(80, 60, 0)).as("level of grey 128 under gamma 1.8")
                .isBetween(145, 147);
        assertThat(new String(thumbnail.bytes(), StandardCharsets.ISO_8859_1)).as("the thumbnail's bytes")
                .doesNotContain("iCCP");
    }

    /** A grey level that varies along both axes, with fine detail for the filters to work on. */
    private static int level(int x, int y) {
        return (x * 255 / 400 + y * 7 % 40 + ((x / 3 + y / 5) % 2) * 30) % 256;
    }

    private static BufferedImage grey8(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, level(x * 400 / width, y * 400 / width));
            }
        }
        return image;
    }

    private static BufferedImage flatGrey(int width, int height, int level) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, level);
            }
        }
        return image;
    }

    /** Grey and alpha, 8 bits each (PNG colour type 4): opaque on the left, fading to transparent on the right. */
    private static BufferedImage greyAlpha(int width, int height) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, level(x, y));
                raster.setSample(x, y, 1, x < width / 2 ? 255 : 255 - (x - width / 2) * 255 / (width / 2));
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    /** The same samples as RGB (and alpha), each level copied into red, green and blue. */
    private static BufferedImage rgbTwin(BufferedImage grey) {
        Raster in = grey.getRaster();
        boolean alpha = grey.getColorModel().hasAlpha();
        BufferedImage twin = new BufferedImage(grey.getWidth(), grey.getHeight(),
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                int v = in.getSample(x, y, 0);
                int a = alpha ? in.getSample(x, y, 1) : 255;
                twin.setRGB(x, y, a << 24 | v << 16 | v << 8 | v);
            }
        }
        return twin;
    }

    /** A grey ICC profile whose tone curve is gamma 1.8: the JDK's grey profile with its curve replaced. */
    private static byte[] gamma18Grey() {
        ICC_Profile profile = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData());
        profile.setData(ICC_Profile.icSigGrayTRCTag, new byte[] {'c', 'u', 'r', 'v', 0, 0, 0, 0, 0, 0, 0, 1, 0x01,
                (byte) 0xCD});
        return profile.getData();
    }

    private static byte[] png(BufferedImage image) {
        return ImageFixtures.write(image, "png");
    }

    /** The thumbnail as ImageIO reads it, samples untouched (its getRGB would take grey for linear light). */
    private static BufferedImage read(Thumbnail thumbnail) {
        return ImageFixtures.readAsStored(thumbnail.bytes());
    }

    private static int bands(Thumbnail thumbnail) {
        return read(thumbnail).getRaster().getNumBands();
    }

    /**
     * Every pixel of the grey thumbnail within one level of each of red, green and blue of the RGB one, and alpha
     * (where there is some) the same.
     */
    private static void assertSameLevels(Thumbnail grey, Thumbnail rgb) {
        Raster g = read(grey).getRaster();
        Raster c = read(rgb).getRaster();
        assertThat(g.getWidth() + "x" + g.getHeight()).as("size").isEqualTo(c.getWidth() + "x" + c.getHeight());
        int greyBands = g.getNumBands();
        int[] gp = new int[greyBands];
        int[] cp = new int[c.getNumBands()];
        int worst = 0;
        String where = "";
        for (int y = 0; y < g.getHeight(); y++) {
            for (int x = 0; x < g.getWidth(); x++) {
                g.getPixel(x, y, gp);
                c.getPixel(x, y, cp);
                for (int band = 0; band < 3; band++) {
                    int d = Math.abs(gp[0] - cp[band]);
                    if (d > worst) {
                        worst = d;
                        where = "(" + x + ", " + y + ") band " + band + ": grey " + gp[0] + ", rgb " + cp[band];
                    }
                }
                if (greyBands == 2) {
                    assertThat(gp[1]).as("alpha at (%d, %d)", x, y).isEqualTo(cp[3]);
                }
            }
        }
        assertThat(worst).as("largest difference from the RGB thumbnail's levels, at %s", where).isLessThanOrEqualTo(1);
    }
}
