package io.thumbnail.server.internal.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptHeaderTest {
    @Test
    void what_browsers_send_for_images_and_pages_names_webp() {
        assertThat(AcceptHeader.namesWebp("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8")).isTrue();
        assertThat(AcceptHeader.namesWebp("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                + "image/webp,*/*;q=0.8")).isTrue();
        assertThat(AcceptHeader.namesWebp("image/webp,*/*")).as("Firefox").isTrue();
    }

    @Test
    void wildcards_do_not_name_webp() {
        assertThat(AcceptHeader.namesWebp("*/*")).as("curl").isFalse();
        assertThat(AcceptHeader.namesWebp("image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5")).as("older Safari").isFalse();
        assertThat(AcceptHeader.namesWebp(null)).as("no header").isFalse();
        assertThat(AcceptHeader.namesWebp("")).isFalse();
    }

    @Test
    void a_quality_of_zero_refuses_webp() {
        assertThat(AcceptHeader.namesWebp("image/webp;q=0, image/jpeg")).isFalse();
        assertThat(AcceptHeader.namesWebp("image/webp; q=0.000")).isFalse();
        assertThat(AcceptHeader.namesWebp("image/webp;q=bad")).as("a malformed quality").isFalse();
        assertThat(AcceptHeader.namesWebp("image/webp ; q=0.5")).isTrue();
    }

    @Test
    void the_media_type_is_matched_in_any_case_and_spacing() {
        assertThat(AcceptHeader.namesWebp("text/html , Image/WebP")).isTrue();
        assertThat(AcceptHeader.namesWebp("image/webpx, image/web")).isFalse();
    }
}
