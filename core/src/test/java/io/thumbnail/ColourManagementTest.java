package io.thumbnail;

import io.thumbnail.internal.image.header.FormatSniffer;
import org.junit.jupiter.api.Test;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static io.thumbnail.ImageFixtures.distance;
import static io.thumbnail.ImageFixtures.meanRgb;
import static io.thumbnail.ImageFixtures.rgb;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Embedded ICC profiles are applied (the JDK PNG reader ignores iCCP, so the pipeline does it), CMYK and YCCK
 * come out in the right colours, and a profile that does not fit the data is ignored rather than fatal.
 */
class ColourManagementTest {
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());
    private static final int SIDE = 16;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    @Test
    void png_with_a_channel_rotating_iccp_shows_stored_red_as_green() {
        byte[] png = pngWithProfile(0xFF0000, ImageFixtures.channelRotatingProfile());

        assertThat(distance(thumbnailColour(png), rgb(0x00FF00))).as("red under an R->G profile").isLessThan(4);
    }

    @Test
    void png_with_a_display_p3_iccp_is_converted_to_srgb() {
        int p3 = 0x30C050;
        byte[] profile = ImageFixtures.displayP3Profile();

        double[] expected = toSrgb(profile, p3);
        assertThat(distance(expected, rgb(p3))).as("fixture: P3 and sRGB differ for this colour").isGreaterThan(20);
        assertThat(distance(thumbnailColour(pngWithProfile(p3, profile)), expected)).isLessThan(4);
    }

    @Test
    void png_with_an_adobe_rgb_iccp_is_converted_to_srgb() throws IOException {
        int adobe = 0x40A060;
        byte[] profile = adobeRgbProfile();

        double[] expected = toSrgb(profile, adobe);
        assertThat(distance(expected, rgb(adobe))).as("fixture: Adobe RGB and sRGB differ").isGreaterThan(20);
        assertThat(distance(thumbnailColour(pngWithProfile(adobe, profile)), expected)).isLessThan(4);
    }

    @Test
    void png_with_a_linear_rgb_iccp_is_converted_to_srgb() {
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();

        assertThat(distance(thumbnailColour(pngWithProfile(0x808080, profile)), toSrgb(profile, 0x808080)))
                .as("linear 128 is sRGB 188").isLessThan(4);
    }

    @Test
    void tiff_with_an_icc_profile_is_converted_to_srgb() {
        ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
        java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(new ICC_ColorSpace(linear),
                false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(SIDE, SIDE);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                raster.setPixel(x, y, new int[] {128, 128, 128});
            }
        }
        byte[] tiff = ImageFixtures.write(new BufferedImage(model, raster, false, null), "tiff");

        assertThat(distance(thumbnailColour(tiff), toSrgb(linear.getData(), 0x808080))).as("linear 128 is sRGB 188")
                .isLessThan(4);
    }

    @Test
    void png_iccp_keeps_transparency() {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                image.setRGB(x, y, x < SIDE / 2 ? 0x00000000 : 0xFFFF0000);
            }
        }
        byte[] png = ImageFixtures.withPngChunk(ImageFixtures.write(image, "png"), "iCCP",
                ImageFixtures.iccpData(ImageFixtures.channelRotatingProfile()));

        BufferedImage thumb = thumbnail(png, OutputFormat.PNG);

        assertThat(thumb.getRGB(1, SIDE / 2) >>> 24).as("left half transparent").isZero();
        assertThat(thumb.getRGB(SIDE - 2, SIDE / 2)).as("right half red shown as green").isEqualTo(0xFF00FF00);
    }

    @Test
    void jpeg_with_a_channel_rotating_icc_profile_shows_stored_red_as_green() {
        byte[] jpeg = ImageFixtures.withJpegIcc(ImageFixtures.jpeg(ImageFixtures.solid(SIDE, SIDE, 0xFF0000)),
                ImageFixtures.channelRotatingProfile());

        assertThat(distance(thumbnailColour(jpeg), rgb(0x00FF00))).isLessThan(12);
    }

    @Test
    void jpeg_with_a_display_p3_icc_profile_is_converted_to_srgb() {
        int p3 = 0x30C050;
        byte[] profile = ImageFixtures.displayP3Profile();
        byte[] jpeg = ImageFixtures.withJpegIcc(ImageFixtures.jpeg(ImageFixtures.solid(SIDE, SIDE, p3)), profile);

        assertThat(distance(thumbnailColour(jpeg), toSrgb(profile, p3))).isLessThan(8);
    }

    @Test
    void adobe_cmyk_jpeg_comes_out_in_the_right_colours() {
        byte[] jpeg = cmykJpeg(false);

        assertCmykQuadrants(thumbnail(jpeg, OutputFormat.PNG));
    }

    @Test
    void ycck_jpeg_comes_out_in_the_right_colours() {
        byte[] jpeg = cmykJpeg(true);

        assertCmykQuadrants(thumbnail(jpeg, OutputFormat.PNG));
    }

    @Test
    void cmyk_jpeg_with_an_rgb_profile_ignores_the_profile() {
        byte[] jpeg = ImageFixtures.withJpegIcc(cmykJpeg(false), ImageFixtures.displayP3Profile());

        assertCmykQuadrants(thumbnail(jpeg, OutputFormat.PNG));
    }

    @Test
    void rgb_jpeg_with_a_cmyk_profile_ignores_the_profile() {
        byte[] jpeg = ImageFixtures.withJpegIcc(ImageFixtures.jpeg(ImageFixtures.solid(SIDE, SIDE, 0x3366CC)),
                cmykTaggedProfile());

        assertThat(distance(thumbnailColour(jpeg), rgb(0x3366CC))).isLessThan(8);
    }

    @Test
    void png_with_a_cmyk_iccp_ignores_the_profile() {
        byte[] png = pngWithProfile(0x3366CC, cmykTaggedProfile());

        assertThat(distance(thumbnailColour(png), rgb(0x3366CC))).isLessThan(2);
    }

    @Test
    void jpeg_with_empty_or_garbage_icc_markers_is_decoded_as_srgb() {
        byte[] plain = ImageFixtures.jpeg(ImageFixtures.solid(SIDE, SIDE, 0x3366CC));
        byte[] empty = ImageFixtures.withJpegIcc(plain, new byte[0]);
        byte[] garbage = ImageFixtures.withJpegIcc(plain, "not a profile at all".getBytes(StandardCharsets.US_ASCII));

        assertThat(distance(thumbnailColour(empty), rgb(0x3366CC))).as("empty marker").isLessThan(8);
        assertThat(distance(thumbnailColour(garbage), rgb(0x3366CC))).as("garbage marker").isLessThan(8);
    }

    @Test
    void a_jpeg_icc_profile_claiming_a_gigabyte_is_decoded_as_srgb_without_allocating_it() {
        assertSrgbWithoutAllocatingWhatItClaims(jpegWithAProfileClaimingAGigabyte());
    }

    @Test
    void a_jpeg_icc_profile_claiming_a_gigabyte_in_a_chunk_numbered_0_is_decoded_as_srgb_without_allocating_it() {
        byte[] jpeg = jpegWithAProfileClaimingAGigabyte();
        jpeg[new String(jpeg, StandardCharsets.ISO_8859_1).indexOf("ICC_PROFILE") + 12] = 0; // chunk 0 of 1

        assertSrgbWithoutAllocatingWhatItClaims(jpeg);
    }

    @Test
    void png_with_a_garbage_iccp_is_decoded_as_srgb() {
        byte[] png = pngWithProfile(0x3366CC, "not a profile at all".getBytes(StandardCharsets.US_ASCII));

        assertThat(distance(thumbnailColour(png), rgb(0x3366CC))).isLessThan(2);
    }

    /**
     * Quadrants of pure cyan, magenta and yellow ink and 50 % black. The reference is the plain CMYK to RGB
     * conversion (no CMYK profile is available to tests); an inverted or raw-CMYK decode misses by far more.
     */
    private static void assertCmykQuadrants(BufferedImage image) {
        int h = image.getHeight() / 2;
        int w = image.getWidth() / 2;
        assertThat(distance(meanRgb(image, 2, 2, w - 4, h - 4), rgb(0x00FFFF))).as("cyan").isLessThan(40);
        assertThat(distance(meanRgb(image, w + 2, 2, w - 4, h - 4), rgb(0xFF00FF))).as("magenta").isLessThan(40);
        assertThat(distance(meanRgb(image, 2, h + 2, w - 4, h - 4), rgb(0xFFFF00))).as("yellow").isLessThan(40);
        assertThat(distance(meanRgb(image, w + 2, h + 2, w - 4, h - 4), rgb(0x808080))).as("50% black").isLessThan(40);
    }

    /** A 32x32 CMYK JPEG with Adobe APP14, stored inverted as Adobe does; optionally YCCK-encoded. */
    static byte[] cmykJpeg(boolean ycck) {
        int[][] inks = {{255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 128}};
        WritableRaster raster = ImageFixtures.fourBandRaster(32, 32);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int[] ink = inks[(y / 16) * 2 + x / 16];
                raster.setPixel(x, y, ycck ? toYcck(ink) : new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]});
            }
        }
        return ImageFixtures.withJpegSegment(ImageFixtures.jpeg(raster, false), 0xEE, ImageFixtures.adobeSegment(ycck ? 2 : 0));
    }

    /** Adobe YCCK: the ink amounts of C, M and Y as R, G, B converted to YCbCr; K stored inverted. */
    private static int[] toYcck(int[] ink) {
        double r = ink[0];
        double g = ink[1];
        double b = ink[2];
        int y = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        int cb = (int) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
        int cr = (int) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
        return new int[] {clamp(y), clamp(cb), clamp(cr), 255 - ink[3]};
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] pngWithProfile(int rgb, byte[] profile) {
        return ImageFixtures.withPngChunk(ImageFixtures.write(ImageFixtures.solid(SIDE, SIDE, rgb), "png"), "iCCP",
                ImageFixtures.iccpData(profile));
    }

    /** The sRGB profile relabelled as CMYK in its header: the wrong kind of profile for RGB data. */
    private static byte[] cmykTaggedProfile() {
        byte[] data = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        System.arraycopy("CMYK".getBytes(StandardCharsets.US_ASCII), 0, data, 16, 4);
        return data;
    }

    private static byte[] adobeRgbProfile() throws IOException {
        // TwelveMonkeys ships ClayRGB1998, a profile equivalent to Adobe RGB (1998).
        try (InputStream in = ColourManagementTest.class.getResourceAsStream("/profiles/ClayRGB1998.icc")) {
            assertThat(in).as("ClayRGB1998.icc on the classpath").isNotNull();
            return in.readAllBytes();
        }
    }

    /** The reference conversion, one colour at a time through the profile connection space. */
    private static double[] toSrgb(byte[] profile, int rgb) {
        ICC_ColorSpace space = new ICC_ColorSpace(ICC_Profile.getInstance(profile));
        double[] in = rgb(rgb);
        float[] xyz = space.toCIEXYZ(new float[] {(float) in[0] / 255, (float) in[1] / 255, (float) in[2] / 255});
        float[] srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(xyz);
        return new double[] {srgb[0] * 255, srgb[1] * 255, srgb[2] * 255};
    }

    /**
     * A 0x3366CC JPEG carrying the sRGB profile, all of it, but for its first four bytes: they give its length as 1 GB.
     */
    private static byte[] jpegWithAProfileClaimingAGigabyte() {
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        profile[0] = 0x40;
        profile[1] = profile[2] = profile[3] = 0;
        return ImageFixtures.withJpegIcc(ImageFixtures.jpeg(ImageFixtures.solid(SIDE, SIDE, 0x3366CC)), profile);
    }

    private static void assertSrgbWithoutAllocatingWhatItClaims(byte[] jpeg) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        double[] colour = thumbnailColour(jpeg);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated making its thumbnail").isLessThan(256L << 20);
        assertThat(distance(colour, rgb(0x3366CC))).as("its colour").isLessThan(8);
    }

    private static double[] thumbnailColour(byte[] source) {
        BufferedImage thumb = thumbnail(source, OutputFormat.PNG);
        return meanRgb(thumb, 2, 2, thumb.getWidth() - 4, thumb.getHeight() - 4);
    }

    private static BufferedImage thumbnail(byte[] source, OutputFormat format) {
        FormatSniffer.sniff(source);
        Thumbnail t = THUMBNAILER.thumbnail(source, ThumbnailSpec.box(64, 64).withFormat(format));
        return ImageFixtures.read(t.bytes());
    }
}
