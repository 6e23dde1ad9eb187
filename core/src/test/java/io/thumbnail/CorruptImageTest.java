package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Graphics2D;
import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Truncated or damaged images are refused as corrupt_image with a clean message, never returned half grey. */
class CorruptImageTest {
    private static final Thumbnailer THUMBNAILER = Thumbnailer.create(Limits.defaults());

    @ParameterizedTest(name = "{0} cut in half")
    @ValueSource(strings = {"jpeg", "progressive-jpeg", "png", "gif", "bmp", "tiff", "webp"})
    void an_image_cut_in_half_is_corrupt(String kind) {
        byte[] whole = encode(kind);

        assertCorrupt(Arrays.copyOf(whole, whole.length / 2));
    }

    @Test
    void a_jpeg_missing_only_its_end_marker_is_corrupt() {
        byte[] whole = encode("jpeg");

        assertCorrupt(Arrays.copyOf(whole, whole.length - 2));
    }

    @Test
    void bytes_after_the_jpeg_end_marker_are_ignored() {
        byte[] whole = encode("jpeg");
        byte[] junk = new byte[1000];
        new Random(1).nextBytes(junk);
        byte[] trailing = Arrays.copyOf(whole, whole.length + junk.length);
        System.arraycopy(junk, 0, trailing, whole.length, junk.length);

        assertThat(THUMBNAILER.thumbnail(trailing, ThumbnailSpec.box(20, 20)).width()).isEqualTo(20);
    }

    @Test
    void damaged_jpeg_entropy_data_is_corrupt_with_a_clean_message() {
        byte[] jpeg = encode("jpeg");
        int dht = indexOf(jpeg, 0xFF, 0xC4);
        jpeg[dht + 4] = (byte) 0x1F; // Huffman table id 15: out of range

        assertCorrupt(jpeg);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jpeg", "progressive-jpeg"})
    void a_jpeg_frame_declaring_more_blocks_than_its_first_scan_can_code_is_corrupt_before_it_is_decoded(String kind) {
        byte[] jpeg = encode(kind);
        int sof = indexOf(jpeg, 0xFF, kind.equals("jpeg") ? 0xC0 : 0xC2);
        jpeg[sof + 5] = jpeg[sof + 7] = 0x1B; // height and width 7000 (0x1B58): within the pixel limit
        jpeg[sof + 6] = jpeg[sof + 8] = 0x58;

        assertThatThrownBy(() -> THUMBNAILER.thumbnail(jpeg, ThumbnailSpec.box(20, 20)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE))
                .hasMessageContaining("its first scan has").hasMessageContaining("7000x7000 pixels");
    }

    @Test
    void damaged_png_data_is_corrupt() {
        byte[] png = encode("png");
        int idat = indexOf(png, 'I', 'D') + 6;
        for (int i = idat; i < idat + 40; i++) {
            png[i] ^= 0x5A;
        }

        assertCorrupt(png);
    }

    @ParameterizedTest(name = "{0} with random bytes changed")
    @ValueSource(strings = {"jpeg", "progressive-jpeg", "png", "gif", "bmp", "tiff", "webp"})
    void damaged_files_are_decoded_or_refused_with_a_code_never_a_crash(String kind) {
        // A small pixel limit keeps a mutated size field from turning into a slow, large decode.
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults().withMaxPixels(1_000_000));
        byte[] original = encode(kind);
        Random random = new Random(kind.hashCode());
        for (int round = 0; round < 150; round++) {
            byte[] damaged = original.clone();
            // Half the rounds aim at the first bytes, where the headers and their size fields are.
            int span = round % 2 == 0 ? Math.min(64, damaged.length) : damaged.length;
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                damaged[random.nextInt(span)] = (byte) random.nextInt(256);
            }
            try {
                thumbnailer.thumbnail(damaged, ThumbnailSpec.box(20, 20));
            } catch (ThumbnailException e) {
                assertThat(e.code()).as("round %d: %s", round, e.getMessage())
                        .isIn(ErrorCode.CORRUPT_IMAGE, ErrorCode.UNSUPPORTED_FORMAT, ErrorCode.TOO_MANY_PIXELS);
            }
        }
    }

    private static void assertCorrupt(byte[] data) {
        assertThatThrownBy(() -> THUMBNAILER.thumbnail(data, ThumbnailSpec.box(20, 20)))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CORRUPT_IMAGE);
                    assertThat(e.getMessage()).as("message for people, not a stack trace")
                            .doesNotContain("Exception").doesNotContain("java.");
                });
    }

    private static byte[] encode(String kind) {
        BufferedImage image = gradient();
        return switch (kind) {
            case "jpeg" -> ImageFixtures.jpeg(image, false);
            case "progressive-jpeg" -> ImageFixtures.jpeg(image, true);
            case "webp" -> WebpFixtures.solidLossless(64, 48, 0xFF336699);
            default -> ImageFixtures.write(image, kind);
        };
    }

    private static BufferedImage gradient() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, java.awt.Color.RED, 64, 48, java.awt.Color.BLUE));
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        return image;
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
