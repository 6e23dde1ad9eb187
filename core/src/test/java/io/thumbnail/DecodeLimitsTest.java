package io.thumbnail;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Limits are enforced from the header alone. The hostile files below hold almost no pixel data: decoding them
 * would fail differently (corrupt) or exhaust memory, so the code {@code too_many_pixels} shows that no decode
 * was attempted.
 */
class DecodeLimitsTest {
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());

    @Test
    void png_header_of_100000x100000_is_refused() {
        assertTooManyPixels(ImageFixtures.pngHeaderOnly(100_000, 100_000, new byte[] {0x78, 0x01}));
    }

    @Test
    void png_of_50000x50000_is_refused_before_its_idat_is_inflated() {
        assertTooManyPixels(ImageFixtures.pngHeaderOnly(50_000, 50_000, new byte[] {0x78, 0x01}));
    }

    @Test
    void gif_logical_screen_of_65535x65535_is_refused() {
        byte[] gif = ImageFixtures.write(ImageFixtures.solid(1, 1, 0), "gif");
        gif[6] = gif[7] = gif[8] = gif[9] = (byte) 0xFF;

        assertTooManyPixels(gif);
    }

    @Test
    void gif_frame_reaching_far_outside_a_small_screen_is_refused() {
        byte[] gif = ImageFixtures.write(ImageFixtures.solid(32, 32, 0), "gif");
        int descriptor = ImageFixtures.gifImageDescriptor(gif);
        gif[descriptor + 5] = gif[descriptor + 6] = gif[descriptor + 7] = gif[descriptor + 8] = (byte) 0xF0;

        assertTooManyPixels(gif);
    }

    @Test
    void bmp_of_3000000x2000000_is_refused() {
        ByteBuffer bmp = ByteBuffer.allocate(14 + 40 + 16).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(70).putInt(0).putInt(54);
        bmp.putInt(40).putInt(3_000_000).putInt(2_000_000).putShort((short) 1).putShort((short) 24).putInt(0);

        assertTooManyPixels(bmp.array());
    }

    @Test
    void jpeg_sof_claiming_65500x65500_is_refused() {
        byte[] jpeg = ImageFixtures.jpeg(ImageFixtures.solid(16, 16, 0));
        int sof = indexOf(jpeg, 0xFF, 0xC0);
        jpeg[sof + 5] = jpeg[sof + 7] = (byte) 0xFF;
        jpeg[sof + 6] = jpeg[sof + 8] = (byte) 0xDC;

        assertTooManyPixels(jpeg);
    }

    @Test
    void tiff_first_directory_is_checked() {
        byte[] tiff = ImageFixtures.bigTiffHeader(60_000, 60_000);

        assertTooManyPixels(tiff);
    }

    @Test
    void animated_images_are_charged_for_every_frame() {
        Thumbnailer small = Thumbnailer.create(Limits.defaults().withMaxPixels(250));
        byte[] oneFrame = ImageFixtures.animatedGif(List.of(ImageFixtures.solid(10, 10, 0)));
        byte[] threeFrames = ImageFixtures.animatedGif(List.of(ImageFixtures.solid(10, 10, 0),
                ImageFixtures.solid(10, 10, 0xFF), ImageFixtures.solid(10, 10, 0xFF00)));
        byte[] threeWebpFrames = WebpFixtures.animated(10, 10, List.of(-1, -1, -1));

        assertThat(small.thumbnail(oneFrame, ThumbnailSpec.box(5, 5)).width()).isEqualTo(5);
        assertThatThrownBy(() -> small.thumbnail(threeFrames, ThumbnailSpec.box(5, 5)))
                .hasMessageContaining("3 frames").extracting("code").isEqualTo(ErrorCode.TOO_MANY_PIXELS);
        assertThatThrownBy(() -> small.thumbnail(threeWebpFrames, ThumbnailSpec.box(5, 5)))
                .extracting("code").isEqualTo(ErrorCode.TOO_MANY_PIXELS);
    }

    @Test
    void input_over_the_byte_limit_is_refused_as_too_large() {
        Thumbnailer tiny = Thumbnailer.create(Limits.defaults().withMaxInputBytes(100));
        byte[] jpeg = ImageFixtures.jpeg(ImageFixtures.solid(64, 64, 0x123456));

        assertThatThrownBy(() -> tiny.thumbnail(jpeg, ThumbnailSpec.box(10, 10)))
                .extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void inspect_reports_the_upright_size_without_decoding() {
        byte[] headerOnly = ImageFixtures.pngHeaderOnly(3000, 2000, new byte[] {0x78, 0x01});

        SourceInfo info = THUMBNAILER.inspect(headerOnly);

        assertThat(info.width() + "x" + info.height()).isEqualTo("3000x2000");
        assertThat(info.format()).isEqualTo(ImageFormat.PNG);
    }

    private static void assertTooManyPixels(byte[] data) {
        assertThatThrownBy(() -> THUMBNAILER.thumbnail(data, ThumbnailSpec.box(100, 100)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.TOO_MANY_PIXELS));
    }

    private static int indexOf(byte[] data, int a, int b) {
        for (int i = 0; i + 1 < data.length; i++) {
            if ((data[i] & 0xFF) == a && (data[i + 1] & 0xFF) == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("marker not found");
    }
}
