package io.thumbnail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Thumbnailing bytes already inspected: the inspection is reused, not redone. */
class InspectedThumbnailTest {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
    private final byte[] jpeg = TestImages.jpeg(300, 200, 7);

    @Test
    void thumbnail_of_inspected_bytes_matches_the_plain_thumbnail() {
        SourceInfo inspected = thumbnailer.inspect(jpeg);

        Thumbnail t = thumbnailer.thumbnail(jpeg, inspected, ThumbnailSpec.box(60, 60));

        Thumbnail plain = thumbnailer.thumbnail(jpeg, ThumbnailSpec.box(60, 60));
        assertThat(t.bytes()).as("thumbnail bytes").isEqualTo(plain.bytes());
        assertThat(t.source()).as("source info").isEqualTo(plain.source());
    }

    @Test
    void inspected_source_becomes_the_thumbnails_source_without_rehashing() {
        SourceInfo inspected = thumbnailer.inspect(jpeg);
        SourceInfo recorded = new SourceInfo(inspected.format(), inspected.width(), inspected.height(),
                inspected.bytes(), "0".repeat(64));

        Thumbnail t = thumbnailer.thumbnail(jpeg, recorded, ThumbnailSpec.box(60, 60));

        assertThat(t.source().sha256()).as("the hash handed in, not one computed again").isEqualTo("0".repeat(64));
    }

    @Test
    void inspected_source_of_other_bytes_is_refused() {
        SourceInfo ofPng = thumbnailer.inspect(TestImages.png(300, 200, 7));

        assertThatThrownBy(() -> thumbnailer.thumbnail(jpeg, ofPng, ThumbnailSpec.box(60, 60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inspected describes");
    }

    @Test
    void limits_are_still_checked_from_the_header() {
        SourceInfo inspected = thumbnailer.inspect(jpeg);
        Thumbnailer strict = Thumbnailer.create(Limits.defaults().withMaxPixels(1000));

        assertThatThrownBy(() -> strict.thumbnail(jpeg, inspected, ThumbnailSpec.box(60, 60)))
                .isInstanceOf(ThumbnailException.class)
                .satisfies(e -> assertThat(((ThumbnailException) e).code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS));
    }
}
