package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.JpegMarkers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The marker walker of the JPEG fast path: segments in order, and an end on anything that is not one. */
class JpegSegmentsTest {
    /** SOI, APP0 (2 body bytes), fill bytes, COM (1 byte), RST0, EOI. */
    private static final byte[] SMALL = bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 'a', 'b', 0xFF, 0xFF, 0xFF, 0xFE, 0, 3,
            'c', 0xFF, 0xD0, 0xFF, 0xD9);

    @Test
    void segments_come_in_order_with_their_bodies_and_fill_bytes_skipped() {
        JpegSegments segments = JpegSegments.afterSoi(SMALL);

        assertThat(segments.next()).as("first marker").isEqualTo(0xE0);
        assertThat(segments.body()).as("APP0 body").isEqualTo(6);
        assertThat(segments.length()).as("APP0 body length").isEqualTo(2);
        assertThat(segments.next()).as("marker after fill bytes").isEqualTo(JpegMarkers.COM);
        assertThat(segments.end()).as("end of COM").isEqualTo(15);
        assertThat(segments.next()).as("restart marker").isEqualTo(0xD0);
        assertThat(segments.length()).as("a standalone marker's body").isZero();
        assertThat(segments.next()).as("end of image").isEqualTo(JpegMarkers.EOI);
        assertThat(segments.next()).as("after the data").isEqualTo(JpegSegments.END);
    }

    @Test
    void data_without_a_start_of_image_marker_has_no_segments() {
        assertThat(JpegSegments.afterSoi(bytes(0x89, 'P', 'N', 'G'))).as("PNG signature").isNull();
        assertThat(JpegSegments.afterSoi(bytes(0xFF, 0xD8))).as("SOI alone").isNull();
    }

    @Test
    void a_length_past_the_data_ends_the_walk() {
        byte[] data = Arrays.copyOf(SMALL, 7);

        assertThat(markers(data)).as("markers of a file cut inside APP0").containsExactly(JpegSegments.END);
    }

    @Test
    void a_length_under_two_ends_the_walk() {
        byte[] data = SMALL.clone();
        data[5] = 1;

        assertThat(markers(data)).as("markers with APP0 of length 1").containsExactly(JpegSegments.END);
    }

    @Test
    void a_byte_other_than_ff_where_a_marker_should_be_ends_the_walk() {
        byte[] data = SMALL.clone();
        data[8] = 0x12;

        assertThat(markers(data)).as("markers with junk after APP0").containsExactly(0xE0, JpegSegments.END);
    }

    @Test
    void every_prefix_of_a_real_jpeg_ends_its_walk() {
        byte[] jpeg = JpegFixtures.write(JpegFixtures.photo(48, 32), JpegFixtures.CHROMA_420, 0, true);

        for (int cut = 4; cut <= jpeg.length; cut++) {
            List<Integer> markers = markers(Arrays.copyOf(jpeg, cut));
            assertThat(markers).as("markers of the first %d bytes", cut).endsWith(JpegSegments.END);
        }
    }

    @Test
    void scan_data_is_skipped_to_the_marker_that_ends_it() {
        // SOS with one component, then data holding a stuffed FF and a restart marker, then EOI.
        byte[] data = bytes(0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD1,
                0x56, 0xFF, 0xD9);
        JpegSegments segments = JpegSegments.afterSoi(data);

        assertThat(segments.next()).as("scan header").isEqualTo(JpegMarkers.SOS);
        assertThat(segments.skipScanData()).as("offset of the marker after the data").isEqualTo(19);
        assertThat(segments.next()).as("marker after the scan").isEqualTo(JpegMarkers.EOI);
    }

    @Test
    void scan_data_that_runs_out_ends_the_walk() {
        byte[] data = bytes(0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0xFF, 0x00, 0x34);
        JpegSegments segments = JpegSegments.afterSoi(data);
        segments.next();

        assertThat(segments.skipScanData()).as("end of data before any marker").isEqualTo(-1);
        assertThat(segments.next()).as("after the scan").isEqualTo(JpegSegments.END);
    }

    /** Every marker up to and including the first END (bounded, so a walk that loops fails the test). */
    private static List<Integer> markers(byte[] data) {
        JpegSegments segments = JpegSegments.afterSoi(data);
        List<Integer> markers = new ArrayList<>();
        for (int step = 0; step <= data.length; step++) {
            int marker = segments.next();
            if (marker == JpegMarkers.SOS) {
                segments.skipScanData();
            }
            markers.add(marker);
            if (marker == JpegSegments.END) {
                return markers;
            }
        }
        return markers;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
