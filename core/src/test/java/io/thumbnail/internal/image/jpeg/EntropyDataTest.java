package io.thumbnail.internal.image.jpeg;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.thumbnail.internal.image.jpeg.JpegFixtures.CHROMA_420;
import static io.thumbnail.internal.image.jpeg.JpegFixtures.photo;
import static io.thumbnail.internal.image.jpeg.JpegFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A scan's entropy-coded data unstuffed into a buffer sized for the image, grown when a scan does not fit. */
class EntropyDataTest {
    private static final int MB = 1 << 20;

    @Test
    void a_scan_longer_than_its_buffer_grows_it_and_loads_the_same_bytes_as_a_buffer_the_size_of_the_file() {
        byte[] jpeg = write(photo(640, 480), CHROMA_420, 4, false);
        ByteBuffer data = ByteBuffer.wrap(jpeg);
        int from = scanDataStart(jpeg);
        EntropyData roomy = new EntropyData(new byte[jpeg.length + EntropyData.PADDING]);
        EntropyData tight = new EntropyData(new byte[EntropyData.PADDING]);

        roomy.load(data, from);
        tight.load(data, from);

        assertThat(tight.length).as("unstuffed bytes").isEqualTo(roomy.length).isGreaterThan(EntropyData.PADDING);
        assertThat(tight.bytes.length).as("the grown buffer holds the data and its padding")
                .isGreaterThanOrEqualTo(tight.length + EntropyData.PADDING);
        assertThat(Arrays.copyOf(tight.bytes, tight.length + EntropyData.PADDING)).as("data and zero padding")
                .isEqualTo(Arrays.copyOf(roomy.bytes, roomy.length + EntropyData.PADDING));
        assertThat(tight.intervals).as("restart intervals").isEqualTo(roomy.intervals).isGreaterThan(1);
        assertThat(Arrays.copyOf(tight.starts, tight.intervals)).as("where each interval starts")
                .isEqualTo(Arrays.copyOf(roomy.starts, roomy.intervals));
        assertThat(tight.end).as("offset of the marker after the scan").isEqualTo(roomy.end);
    }

    @Test
    void a_small_image_followed_by_megabytes_of_other_data_starts_with_a_buffer_for_its_blocks_not_the_file() {
        long blocksOf64x64 = 3 * 64;

        assertThat(EntropyData.bytesFor(blocksOf64x64, 50 * MB)).as("buffer for a 64x64 image in a 50 MB file")
                .isEqualTo(EntropyData.MIN_BYTES + EntropyData.PADDING);
    }

    @Test
    void a_photos_buffer_is_its_file_length_when_that_is_the_smaller() {
        long blocksOf20MegapixelsAt420 = 5472L * 3648 / 64 * 3 / 2;

        assertThat(EntropyData.bytesFor(blocksOf20MegapixelsAt420, 9 * MB)).as("buffer for a 9 MB 20 MP photo")
                .isEqualTo(9 * MB + EntropyData.PADDING);
        assertThat(EntropyData.bytesFor(blocksOf20MegapixelsAt420, 100)).as("buffer for a file of 100 bytes")
                .isEqualTo(100 + EntropyData.PADDING);
    }

    @Test
    void a_buffer_shorter_than_the_padding_is_refused() {
        assertThatThrownBy(() -> new EntropyData(new byte[EntropyData.PADDING - 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least " + EntropyData.PADDING);
    }

    /** The offset right after the first start-of-scan header. */
    private static int scanDataStart(byte[] jpeg) {
        for (int i = 0; i + 3 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                return i + 2 + ((jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF);
            }
        }
        throw new AssertionError("no start-of-scan marker");
    }
}
