package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFixtures;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;
import io.thumbnail.WebpFixtures;
import org.junit.jupiter.api.Test;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Header parsing: sizes, frames and orientation come from the bytes without decoding pixels. */
class HeaderReaderTest {
    private static final BufferedImage IMAGE = ImageFixtures.solid(37, 23, 0x336699);

    @Test
    void reads_the_stored_size_of_every_format() {
        BufferedImage binary = new BufferedImage(37, 23, BufferedImage.TYPE_BYTE_BINARY);

        assertThat(size(ImageFixtures.jpeg(IMAGE))).isEqualTo("37x23");
        assertThat(size(ImageFixtures.jpeg(IMAGE, true))).as("progressive").isEqualTo("37x23");
        assertThat(size(ImageFixtures.write(IMAGE, "png"))).isEqualTo("37x23");
        assertThat(size(ImageFixtures.write(IMAGE, "gif"))).isEqualTo("37x23");
        assertThat(size(ImageFixtures.write(IMAGE, "bmp"))).isEqualTo("37x23");
        assertThat(size(ImageFixtures.write(binary, "wbmp"))).isEqualTo("37x23");
        assertThat(size(ImageFixtures.write(IMAGE, "tiff"))).isEqualTo("37x23");
        assertThat(size(ImageFixtures.bigTiff(37, 23, 0))).as("BigTIFF").isEqualTo("37x23");
        assertThat(size(WebpFixtures.solidLossless(37, 23, -1))).isEqualTo("37x23");
        assertThat(size(WebpFixtures.animated(37, 23, List.of(-1, -1)))).as("VP8X canvas").isEqualTo("37x23");
    }

    @Test
    void counts_the_frames_of_an_animated_gif() {
        byte[] gif = ImageFixtures.animatedGif(List.of(IMAGE, IMAGE, IMAGE, IMAGE));

        assertThat(header(gif).frames()).isEqualTo(4);
        assertThat(header(gif).totalPixels()).isEqualTo(4L * 37 * 23);
    }

    @Test
    void counts_the_frames_of_an_animated_webp() {
        assertThat(header(WebpFixtures.animated(10, 10, List.of(-1, -1, -1))).frames()).isEqualTo(3);
    }

    @Test
    void counts_the_frames_of_an_apng_from_actl() {
        byte[] actl = {0, 0, 0, 7, 0, 0, 0, 0};
        byte[] apng = ImageFixtures.withPngChunk(ImageFixtures.write(IMAGE, "png"), "acTL", actl);

        assertThat(header(apng).frames()).isEqualTo(7);
    }

    @Test
    void a_gif_is_as_large_as_its_logical_screen() {
        byte[] gif = ImageFixtures.write(IMAGE, "gif");
        gif[6] = (byte) 0xFF;
        gif[7] = (byte) 0xFF;
        gif[8] = (byte) 0xFF;
        gif[9] = (byte) 0xFF;

        assertThat(size(gif)).isEqualTo("65535x65535");
    }

    @Test
    void reads_jpeg_exif_orientation() {
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] jpeg = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(IMAGE), orientation);

            assertThat(header(jpeg).orientation()).as("orientation %d", orientation).isEqualTo(orientation);
        }
    }

    @Test
    void broken_exif_means_orientation_one() {
        byte[] exif = ImageFixtures.exifOrientation(6);
        exif[6 + 8] = (byte) 0xFF; // IFD0 entry count 0xFF01: far more entries than the segment holds
        byte[] badCount = ImageFixtures.withJpegSegment(ImageFixtures.jpeg(IMAGE), 0xE1, exif);
        byte[] badOffset = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(IMAGE), 6);
        badOffset[4 + 6 + 4 + 6] = 0x7F; // IFD0 offset points far outside the segment
        byte[] outOfRange = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(IMAGE), 9);

        assertThat(header(badCount).orientation()).as("bogus entry count").isEqualTo(1);
        assertThat(header(badOffset).orientation()).as("bogus IFD offset").isEqualTo(1);
        assertThat(header(outOfRange).orientation()).as("orientation 9 is undefined").isEqualTo(1);
    }

    @Test
    void orientation_five_to_eight_swaps_the_upright_size() {
        ImageHeader header = header(ImageFixtures.withExifOrientation(ImageFixtures.jpeg(IMAGE), 6));

        assertThat(header.uprightWidth()).isEqualTo(23);
        assertThat(header.uprightHeight()).isEqualTo(37);
    }

    @Test
    void a_tiff_declaring_thousands_of_samples_per_pixel_is_unsupported() {
        byte[] tiff = ImageFixtures.bigTiff(4, 4, 0);
        int samplesPerPixel = 16 + 8 + 6 * 20 + 12; // the value of the directory's seventh entry
        tiff[samplesPerPixel] = tiff[samplesPerPixel + 1] = (byte) 0xFF;

        assertThatThrownBy(() -> header(tiff)).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("this one declares 65535");
    }

    @Test
    void twelve_bit_jpeg_is_unsupported() {
        byte[] jpeg = ImageFixtures.jpeg(IMAGE);
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        jpeg[sof + 1] = (byte) 0xC1;
        jpeg[sof + 4] = 12;

        assertThatThrownBy(() -> header(jpeg)).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT)).hasMessageContaining("12-bit");
    }

    @Test
    void a_jpeg_scan_before_its_frame_header_is_corrupt() {
        byte[] sosFirst = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2, (byte) 0xFF, (byte) 0xD9};

        assertCorrupt(sosFirst);
    }

    @Test
    void truncated_headers_are_corrupt_never_index_errors() {
        byte[][] whole = {ImageFixtures.jpeg(IMAGE), ImageFixtures.write(IMAGE, "png"),
                ImageFixtures.write(IMAGE, "gif"), ImageFixtures.write(IMAGE, "bmp"),
                ImageFixtures.write(IMAGE, "tiff"), WebpFixtures.solidLossless(5, 5, -1)};
        for (byte[] file : whole) {
            ImageFormat format = FormatSniffer.sniff(file);
            for (int cut : new int[] {8, 12, 20}) {
                byte[] head = java.util.Arrays.copyOf(file, cut);
                assertThatThrownBy(() -> HeaderReader.read(head, format)).as("%s cut at %d", format, cut)
                        .isInstanceOfSatisfying(ThumbnailException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE));
            }
        }
    }

    @Test
    void a_tiff_directory_claiming_more_entries_than_the_file_holds_is_corrupt() {
        byte[] tiff = ImageFixtures.bigTiff(4, 4, 0);
        tiff[16 + 4] = 0x10; // entry count 2^32 + 8

        assertCorrupt(tiff);
    }

    @Test
    void a_jpeg_with_a_second_frame_header_is_corrupt_whatever_size_either_gives() {
        byte[] jpeg = ImageFixtures.jpeg(IMAGE);
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        int length = (jpeg[sof + 2] & 0xFF) << 8 | jpeg[sof + 3] & 0xFF;
        byte[] huge = java.util.Arrays.copyOfRange(jpeg, sof, sof + 2 + length);
        huge[5] = huge[7] = (byte) 0x23; // height and width 9000 (0x2328)
        huge[6] = huge[8] = (byte) 0x28;

        assertCorruptSaying(insert(jpeg, sof, huge), "more than one frame header");
    }

    @Test
    void a_jpeg_icc_profile_claiming_more_bytes_than_its_chunks_carry_is_left_out_of_what_a_reader_gets() {
        byte[] jpeg = ImageFixtures.jpeg(IMAGE);
        byte[] withIcc = insert(jpeg, 2, OVERSIZED_ICC_SEGMENT);

        ByteBuffer forReader = HeaderReader.withoutUnusableIcc(ByteBuffer.wrap(withIcc));

        assertThat(size(withIcc)).as("its header").isEqualTo("37x23");
        assertThat(toArray(forReader)).as("what a reader gets: the file without the profile's segment").isEqualTo(jpeg);
    }

    @Test
    void a_lone_jpeg_icc_chunk_numbered_0_claiming_more_bytes_than_it_carries_is_left_out_of_what_a_reader_gets() {
        byte[] jpeg = ImageFixtures.jpeg(IMAGE);
        byte[] app2 = OVERSIZED_ICC_SEGMENT.clone();
        app2[16] = 0; // chunk 0 of 1: readers take a lone chunk whatever its number

        ByteBuffer forReader = HeaderReader.withoutUnusableIcc(ByteBuffer.wrap(insert(jpeg, 2, app2)));

        assertThat(toArray(forReader)).as("what a reader gets: the file without the profile's segment").isEqualTo(jpeg);
    }

    @Test
    void a_jpeg_icc_profile_that_carries_what_it_claims_is_handed_on_as_it_is() {
        byte[] app2 = OVERSIZED_ICC_SEGMENT.clone();
        app2[18] = app2[19] = app2[20] = 0;
        app2[21] = 4; // a (useless) profile of 4 bytes, all of them present
        ByteBuffer withIcc = ByteBuffer.wrap(insert(ImageFixtures.jpeg(IMAGE), 2, app2));

        assertThat(HeaderReader.withoutUnusableIcc(withIcc)).as("what a reader gets").isSameAs(withIcc);
    }

    @Test
    void a_jpeg_icc_profile_for_other_channels_than_the_frame_has_is_left_out_of_what_a_reader_gets() {
        byte[] cmyk = ImageFixtures.jpeg(ImageFixtures.fourBandRaster(16, 16), false);
        byte[] rgbProfile = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] tagged = ImageFixtures.withJpegIcc(cmyk, rgbProfile);

        ByteBuffer forReader = HeaderReader.withoutUnusableIcc(ByteBuffer.wrap(tagged));

        assertThat(toArray(forReader)).as("what a reader gets: the CMYK file without its RGB profile").isEqualTo(cmyk);
    }

    /** An APP2 ICC_PROFILE segment, chunk 1 of 1, whose profile gives its length as 2^31 - 1 bytes and carries 8. */
    static final byte[] OVERSIZED_ICC_SEGMENT = {(byte) 0xFF, (byte) 0xE2, 0, 24, 'I', 'C', 'C', '_', 'P', 'R', 'O',
            'F', 'I', 'L', 'E', 0, 1, 1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0};

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void a_webp_animation_frame_reaching_outside_its_canvas_is_corrupt() {
        byte[] webp = WebpFixtures.animated(10, 10, List.of(-1, -1));
        int anmf = new String(webp, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("ANMF");
        webp[anmf + 14] = (byte) 0xFE; // frame width - 1: 16382
        webp[anmf + 15] = 0x3F;

        assertCorruptSaying(webp, "animation frame 1 reaches outside its 10x10 canvas");
    }

    @Test
    void a_webp_icc_profile_claiming_more_bytes_than_its_chunk_carries_is_corrupt() {
        byte[] icc = new byte[132];
        icc[0] = 0x7F;
        icc[1] = icc[2] = icc[3] = (byte) 0xFF;

        assertCorruptSaying(WebpFixtures.solidLosslessWithIcc(5, 5, -1, icc), "gives its length as 2147483647 bytes");
    }

    private static byte[] insert(byte[] data, int at, byte[] segment) {
        byte[] out = new byte[data.length + segment.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(segment, 0, out, at, segment.length);
        System.arraycopy(data, at, out, at + segment.length, data.length - at);
        return out;
    }

    private static void assertCorruptSaying(byte[] data, String why) {
        assertThatThrownBy(() -> header(data)).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE)).hasMessageContaining(why);
    }

    private static void assertCorrupt(byte[] data) {
        assertThatThrownBy(() -> header(data)).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE));
    }

    static int indexOf(byte[] data, byte a, byte b) {
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == a && data[i + 1] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("marker not found");
    }

    private static ImageHeader header(byte[] data) {
        return HeaderReader.read(data, FormatSniffer.sniff(data));
    }

    private static String size(byte[] data) {
        ImageHeader header = header(data);
        return header.width() + "x" + header.height();
    }
}
