package io.thumbnail.internal.image.jpeg;

import io.thumbnail.ImageFixtures;
import io.thumbnail.Limits;
import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.image.ImagePipeline;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An original in a buffer outside the heap (how a worker reads one back from the blob store) makes the same thumbnail
 * as the same bytes in an array, on every path a JPEG can take and for the formats read from an array.
 */
class BufferSourceTest {
    private static final ImagePipeline PIPELINE = new ImagePipeline(Limits.defaults());

    @Test
    void a_baseline_photo_reduced_at_one_eighth_makes_the_same_thumbnail_from_a_direct_buffer() {
        assertSameThumbnail(JpegFixtures.write(JpegFixtures.photo(1600, 1200), JpegFixtures.CHROMA_420, 0, false),
                ThumbnailSpec.box(100, 100));
    }

    @Test
    void a_progressive_photo_read_from_its_first_scans_at_one_quarter_makes_the_same_thumbnail() {
        byte[] jpeg = JpegFixtures.write(JpegFixtures.photo(1600, 1200), JpegFixtures.CHROMA_420, 0, true);
        assertThat(ReducingJpegDecoder.samplesPerBlock(JpegLayout.parse(jpeg), jpeg.length, 200, 150))
                .as("1/4 applies, from the DC and first luma AC scans only").isEqualTo(2);

        assertSameThumbnail(jpeg, ThumbnailSpec.box(200, 200));
    }

    @Test
    void a_photo_too_small_to_reduce_in_the_dct_makes_the_same_thumbnail_through_the_jdk_reader() {
        assertSameThumbnail(JpegFixtures.write(JpegFixtures.photo(400, 300), JpegFixtures.CHROMA_420, 0, false),
                ThumbnailSpec.box(150, 150));
    }

    @Test
    void a_png_makes_the_same_thumbnail_from_a_direct_buffer() {
        assertSameThumbnail(ImageFixtures.write(JpegFixtures.photo(300, 200), "png"), ThumbnailSpec.box(64, 64));
    }

    @Test
    void the_jdk_reader_shown_only_the_first_scan_of_a_direct_buffer_gives_the_same_pixels() {
        byte[] jpeg = JpegFixtures.write(JpegFixtures.photo(1600, 1200), JpegFixtures.CHROMA_420, 0, true);

        BufferedImage fromArray = ReducingJpegDecoder.decode(ByteBuffer.wrap(jpeg), 50, 37, true, false);
        BufferedImage fromBuffer = ReducingJpegDecoder.decode(direct(jpeg), 50, 37, true, false);

        assertThat(fromArray).as("the array's decode").isNotNull();
        assertThat(pixels(fromBuffer)).as("the direct buffer's pixels").isEqualTo(pixels(fromArray));
    }

    private static void assertSameThumbnail(byte[] original, ThumbnailSpec spec) {
        SourceInfo info = PIPELINE.inspect(original);

        Thumbnail fromArray = PIPELINE.thumbnail(original, info, spec);
        Thumbnail fromBuffer = PIPELINE.thumbnail(direct(original), info, spec);

        assertThat(fromBuffer.width()).as("width").isEqualTo(fromArray.width());
        assertThat(fromBuffer.height()).as("height").isEqualTo(fromArray.height());
        assertThat(fromBuffer.bytes()).as("the encoded thumbnail, byte for byte").isEqualTo(fromArray.bytes());
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 100).put(bytes).flip();
        assertThat(buffer.hasArray()).as("no array behind the buffer").isFalse();
        return buffer;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
