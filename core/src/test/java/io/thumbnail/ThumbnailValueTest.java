package io.thumbnail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Thumbnail and its fallback as values: equal by their bytes, and printed by what they are, not an array's address. */
class ThumbnailValueTest {
    private static final SourceInfo SOURCE = new SourceInfo(ImageFormat.JPEG, 1600, 1200, 51852, null);

    private static Thumbnail webp(byte[] bytes, byte[] fallback) {
        return new Thumbnail(bytes, ImageFormat.WEBP, 100, 75, SOURCE,
                new Thumbnail.Fallback(fallback, ImageFormat.JPEG));
    }

    @Test
    void thumbnails_with_equal_bytes_are_equal_and_hash_alike() {
        Thumbnail a = webp(new byte[] {1, 2, 3}, new byte[] {4, 5});
        Thumbnail b = webp(new byte[] {1, 2, 3}, new byte[] {4, 5});

        assertThat(a).as("the same thumbnail made twice").isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void thumbnails_differing_in_a_byte_of_their_fallback_are_not_equal() {
        assertThat(webp(new byte[] {1, 2, 3}, new byte[] {4, 5}))
                .as("fallback 4,5 against 4,6").isNotEqualTo(webp(new byte[] {1, 2, 3}, new byte[] {4, 6}));
    }

    @Test
    void a_fallback_prints_its_format_and_size() {
        assertThat(new Thumbnail.Fallback(new byte[1593], ImageFormat.JPEG))
                .as("the fallback printed").hasToString("Fallback[jpeg, 1593 bytes]");
    }
}
