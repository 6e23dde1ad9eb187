package io.thumbnail;

import org.junit.jupiter.api.Test;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A JPEG's embedded ICC profile is applied when the JPEG is shrunk on load (the profile is converted on the
 * reduced image), and a WebP's, which libwebp leaves to its caller. A flat grey of 64 means 64 in sRGB without a profile, and about 137 in sRGB when the pixels
 * are linear-light RGB.
 */
class EmbeddedProfileTest {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
    private final BufferedImage grey = Fixtures.solid(1600, 1200, 0x404040);

    @Test
    void a_linear_rgb_profile_is_converted_to_srgb() {
        byte[] jpeg = withProfile(Fixtures.jpeg(grey, 95, false), ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB));

        int rgb = centre(thumbnailer.thumbnail(jpeg, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.PNG)));

        assertThat((rgb >> 8) & 0xFF).as("linear 64/255 is sRGB 137").isCloseTo(137, within(3));
    }

    @Test
    void an_srgb_profile_leaves_the_colours_as_they_are() {
        byte[] jpeg = withProfile(Fixtures.jpeg(grey, 95, false), ICC_Profile.getInstance(ColorSpace.CS_sRGB));

        int rgb = centre(thumbnailer.thumbnail(jpeg, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.PNG)));

        assertThat((rgb >> 8) & 0xFF).isCloseTo(64, within(2));
    }

    @Test
    void a_still_webps_profile_is_applied_too() {
        byte[] webp = WebpFixtures.solidLosslessWithIcc(400, 300, 0xFF404040,
                ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());

        int rgb = centre(thumbnailer.thumbnail(webp, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.PNG)));

        assertThat((rgb >> 8) & 0xFF).as("linear 64/255 is sRGB 137").isCloseTo(137, within(3));
    }

    @Test
    void no_profile_means_srgb() {
        int rgb = centre(thumbnailer.thumbnail(Fixtures.jpeg(grey, 95, false),
                ThumbnailSpec.box(100, 100).withFormat(OutputFormat.PNG)));

        assertThat((rgb >> 8) & 0xFF).isCloseTo(64, within(2));
    }

    private static int centre(Thumbnail t) {
        BufferedImage image = read(t.bytes());
        return image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
    }

    /** Inserts an APP2 ICC_PROFILE segment right after the SOI marker. */
    private static byte[] withProfile(byte[] jpeg, ICC_Profile profile) {
        byte[] icc = profile.getData();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 14 + icc.length;
        out.write(0xFF);
        out.write(0xE2);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(1);
        out.writeBytes(icc);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
