package io.thumbnail.internal.image.jpeg;

import io.thumbnail.ImageFixtures;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a progressive JPEG's early scans end (the cut points of shrink on load), and where its ICC profile is. */
class JpegLayoutTest {
    private static final byte[] PROGRESSIVE = ImageFixtures.jpeg(noise(64, 48), true);

    @Test
    void progressive_jpeg_has_its_dc_scan_and_then_its_luma_low_pass_scan() {
        JpegLayout layout = JpegLayout.parse(PROGRESSIVE);

        assertThat(layout.firstScanEnd()).as("end of the DC scan").isPositive();
        assertThat(layout.lowPassEnd()).as("end of the first luma AC scan").isGreaterThan(layout.firstScanEnd());
        assertThat(PROGRESSIVE[layout.lowPassEnd()] & 0xFF).as("a marker follows the scan").isEqualTo(0xFF);
    }

    @Test
    void baseline_jpeg_has_no_cut_points() {
        JpegLayout layout = JpegLayout.parse(ImageFixtures.jpeg(noise(64, 48), false));

        assertThat(layout.firstScanEnd()).as("DC scan end").isEqualTo(-1);
        assertThat(layout.lowPassEnd()).as("low-pass scan end").isEqualTo(-1);
    }

    @Test
    void progressive_jpeg_cut_after_its_dc_scan_has_no_low_pass_scan() {
        int dcEnd = JpegLayout.parse(PROGRESSIVE).firstScanEnd();
        byte[] cut = Arrays.copyOf(PROGRESSIVE, dcEnd + 2);
        cut[dcEnd] = (byte) 0xFF;
        cut[dcEnd + 1] = (byte) 0xD9;

        assertThat(JpegLayout.parse(cut).lowPassEnd()).as("low-pass scan end").isEqualTo(-1);
    }

    @Test
    void garbage_after_the_dc_scan_gives_no_low_pass_scan() {
        int dcEnd = JpegLayout.parse(PROGRESSIVE).firstScanEnd();
        byte[] broken = PROGRESSIVE.clone();
        // A segment length running past the end of the file.
        broken[dcEnd + 2] = (byte) 0xFF;
        broken[dcEnd + 3] = (byte) 0xFF;

        assertThat(JpegLayout.parse(broken).lowPassEnd()).as("low-pass scan end").isEqualTo(-1);
    }

    @Test
    void the_icc_profile_is_assembled_and_its_segments_markers_located() {
        byte[] profile = ImageFixtures.displayP3Profile();
        byte[] jpeg = ImageFixtures.withJpegSegment(ImageFixtures.withJpegIcc(PROGRESSIVE, profile), 0xE1, new byte[9]);

        JpegLayout layout = JpegLayout.parse(jpeg);

        assertThat(layout.icc()).as("assembled profile").isEqualTo(profile);
        // SOI, then the 13-byte APP1 inserted last, then the APP2: FF E2 at offsets 15 and 16.
        assertThat(layout.iccMarkers()).as("offsets of the ICC segments' marker codes").containsExactly(16);
        assertThat(jpeg[15] & 0xFF).isEqualTo(0xFF);
        assertThat(jpeg[16] & 0xFF).isEqualTo(0xE2);
    }

    @Test
    void a_jpeg_without_a_profile_has_no_icc_markers() {
        assertThat(JpegLayout.parse(PROGRESSIVE).iccMarkers()).as("ICC marker offsets").isEmpty();
    }

    private static BufferedImage noise(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }
}
