package io.thumbnail.internal.image.jpeg;

import io.thumbnail.ErrorCode;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JpegScansTest {
    /**
     * The markers of a JPEG of {@code scans} scans, each followed by entropy-coded bytes holding a stuffed 0xFF and a
     * restart marker, which are not markers between scans; the pixels are not decodable, the structure is.
     */
    static byte[] jpeg(int sof, int width, int height, int scans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, 0xFF, 0xD8);
        write(out, 0xFF, 0xE0, 0, 4, 0xFF, 0xDA);
        write(out, 0xFF, sof, 0, 17, 8, height >> 8, height & 0xFF, width >> 8, width & 0xFF, 3,
                1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0);
        for (int i = 0; i < scans; i++) {
            write(out, 0xFF, 0xC4, 0, 3, 0);
            write(out, 0xFF, 0xDA, 0, 8, 1, 1, 0, 1, 1, 0);
            write(out, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0x00);
        }
        write(out, 0xFF, 0xD9);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
    }

    @Test
    void counts_the_scans_of_a_progressive_jpeg_past_stuffed_bytes_restarts_and_tables_between_them() {
        assertThat(JpegScans.count(ByteBuffer.wrap(jpeg(0xC2, 64, 64, 37)), Long.MAX_VALUE)).isEqualTo(37);
        assertThat(JpegScans.count(ByteBuffer.wrap(jpeg(0xC2, 64, 64, 5000)), 11)).as("stops at the bound")
                .isEqualTo(11);
        assertThat(JpegScans.count(ByteBuffer.wrap(jpeg(0xC0, 64, 64, 3)), Long.MAX_VALUE))
                .as("a sequential JPEG is not looked at").isZero();
    }

    @Test
    void the_scans_allowed_shrink_with_the_pixels_and_never_pass_the_cap() {
        assertThat(JpegScans.allowed(5472, 3648)).as("20 MP").isEqualTo(100);
        assertThat(JpegScans.allowed(5000, 5000)).as("25 MP").isEqualTo(80);
        assertThat(JpegScans.allowed(4000, 4000)).as("16 MP: the cap").isEqualTo(100);
        assertThat(JpegScans.allowed(64, 64)).as("however small: the cap").isEqualTo(100);
        assertThat(JpegScans.allowed(65535, 65535)).as("at least one").isEqualTo(1);
    }

    @Test
    void a_progressive_jpeg_with_more_scans_than_its_size_allows_is_refused_naming_the_bound() {
        assertScansAllowed(5000, 5000, 80);
    }

    @Test
    void a_small_progressive_jpeg_may_have_a_hundred_scans_and_no_more() {
        assertScansAllowed(1414, 1414, 100);
    }

    /** A progressive JPEG of that size with {@code allowed} scans passes; one more is refused, naming the bound. */
    private static void assertScansAllowed(int width, int height, int allowed) {
        assertThatThrownBy(() -> JpegScans.check(ByteBuffer.wrap(jpeg(0xC2, width, height, allowed + 1)), width,
                height))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageStartingWith("progressive JPEGs with more than " + allowed + " scans at " + width + "x"
                        + height + " are not supported");
        JpegScans.check(ByteBuffer.wrap(jpeg(0xC2, width, height, allowed)), width, height);
    }

    @Test
    void the_pipeline_refuses_such_a_jpeg_at_sizes_that_decode_its_scans() {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        byte[] many = jpeg(0xC2, 4000, 4000, 2646);

        for (ThumbnailSpec spec : new ThumbnailSpec[] {ThumbnailSpec.box(800, 800), ThumbnailSpec.box(1200, 1200),
                ThumbnailSpec.box(4000, 4000)}) {
            assertThatThrownBy(() -> thumbnailer.thumbnail(many, spec)).as("at %s", spec)
                    .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code())
                            .as("not corrupt_image: the structure is legal, the work is what is refused")
                            .isEqualTo(ErrorCode.UNSUPPORTED_FORMAT));
        }
    }
}
