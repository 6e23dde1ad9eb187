package io.thumbnail.bench;

import io.thumbnail.Limits;
import io.thumbnail.Thumbnail;
import io.thumbnail.Thumbnailer;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbnailVariantsTest {
    private final ThumbnailVariants variants = new ThumbnailVariants(100);

    /** A 640x480 photo-like JPEG: smooth gradients and some detail. */
    private static byte[] photo() throws IOException {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int r = (x * 255 / 639) ^ (y & 7);
                int g = y * 255 / 479;
                int b = ((x / 40 + y / 40) & 1) * 120 + 60;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    @Test
    void consecutive_uses_ask_for_every_combination_before_one_repeats() {
        Set<List<Integer>> seen = new HashSet<>();
        LongStream.range(0, ThumbnailVariants.COMBINATIONS).forEach(k ->
                seen.add(List.of(variants.side(k), variants.quality(k), variants.dcStep(k))));

        assertThat(seen).as("distinct variants of %d uses", ThumbnailVariants.COMBINATIONS)
                .hasSize(ThumbnailVariants.COMBINATIONS);
        assertThat(variants.spec(ThumbnailVariants.COMBINATIONS + 7L)).as("the spec after all combinations")
                .isEqualTo(variants.spec(7));
    }

    @Test
    void sides_qualities_and_quantisers_stay_in_their_ranges() {
        LongStream.range(0, ThumbnailVariants.COMBINATIONS).forEach(k -> {
            assertThat(variants.side(k)).as("side of use %d", k).isBetween(100, 119);
            assertThat(variants.quality(k)).as("quality of use %d", k).isBetween(60, 99);
            assertThat(variants.dcQuantiser(254, k)).as("quantiser of use %d from 254", k).isBetween(254, 255);
        });
    }

    @Test
    void the_luma_dc_quantiser_is_found_in_the_first_table() throws IOException {
        byte[] jpeg = photo();
        int at = UniqueJpeg.lumaDcQuantiserAt(jpeg);

        assertThat(at).as("where the quantiser is").isPositive();
        assertThat(jpeg[at - 1] & 0xff).as("the table's precision and id (8-bit, table 0)").isZero();
        assertThat(jpeg[at - 4] & 0xff).as("the segment's marker (DQT)").isEqualTo(0xdb);
    }

    @Test
    void a_variant_differs_from_its_photo_in_one_byte_and_in_its_thumbnail() throws IOException {
        byte[] jpeg = photo();
        LoadRun.Photo photo = LoadRun.Photo.of("p.jpg", jpeg);
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        long raisedDc = 2L * ThumbnailVariants.SIDES * ThumbnailVariants.QUALITIES;

        byte[] variant = whole(photo.variant(variants, raisedDc));
        int differing = 0;
        for (int i = 0; i < jpeg.length; i++) {
            differing += jpeg[i] != variant[i] ? 1 : 0;
        }
        assertThat(variant).as("the variant's length").hasSameSizeAs(jpeg);
        assertThat(differing).as("bytes that differ from the photo's").isEqualTo(1);

        Thumbnail original = thumbnailer.thumbnail(jpeg, variants.spec(raisedDc));
        Thumbnail nudged = thumbnailer.thumbnail(variant, variants.spec(raisedDc));
        assertThat(nudged.bytes()).as("the variant's thumbnail against the photo's, same box and quality")
                .isNotEqualTo(original.bytes());
    }

    @Test
    void the_first_thousands_of_uses_of_a_photo_make_thumbnails_that_all_differ() throws IOException {
        LoadRun.Photo photo = LoadRun.Photo.of("p.jpg", photo());
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        Set<ByteBuffer> thumbnails = new HashSet<>();
        // Every 7th use, across all sides, qualities and quantisers: enough to catch a knob that changes nothing.
        int uses = 0;
        for (long k = 0; k < ThumbnailVariants.COMBINATIONS; k += 7, uses++) {
            thumbnails.add(ByteBuffer.wrap(thumbnailer.thumbnail(whole(photo.variant(variants, k)),
                    variants.spec(k)).bytes()));
        }

        assertThat(thumbnails).as("distinct thumbnails of %d uses", uses).hasSize(uses);
    }

    /** The start-of-image marker and the variant's bytes after it. */
    private static byte[] whole(List<ByteBuffer> afterStart) {
        int length = 2 + afterStart.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer out = ByteBuffer.allocate(length).put((byte) 0xff).put((byte) 0xd8);
        afterStart.forEach(b -> out.put(b.duplicate()));
        return out.array();
    }
}
