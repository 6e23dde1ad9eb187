package io.thumbnail.server.internal.http;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ContentDispositionTest {
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static Job jobNamed(String name) {
        return Job.builder().id(ID).status(JobStatus.DONE).source(new JobSource(name, 1, ImageFormat.PNG, 1, 1, null))
                .attempts(1).build();
    }

    @Test
    void the_original_extension_becomes_thumbnail_dot_output_extension() {
        assertThat(ContentDisposition.inline(jobNamed("IMG_8667.png"), ImageFormat.JPEG))
                .isEqualTo("inline; filename=\"IMG_8667.thumbnail.jpg\"");
    }

    @Test
    void directories_and_only_the_last_extension_are_dropped() {
        assertThat(ContentDisposition.thumbnailName("photos/2024/archive.tar.gz", "x", ImageFormat.PNG))
                .isEqualTo("archive.tar.thumbnail.png");
        assertThat(ContentDisposition.thumbnailName("C:\\Users\\me\\cat.webp", "x", ImageFormat.JPEG))
                .isEqualTo("cat.thumbnail.jpg");
    }

    @Test
    void an_upload_without_a_name_is_named_after_the_job() {
        assertThat(ContentDisposition.thumbnailName(null, ID.toString(), ImageFormat.JPEG))
                .isEqualTo(ID + ".thumbnail.jpg");
    }

    @Test
    void a_non_ascii_name_gets_an_ascii_fallback_and_a_utf8_form() {
        assertThat(ContentDisposition.inline(jobNamed("café 1.png"), ImageFormat.JPEG))
                .isEqualTo("inline; filename=\"caf_ 1.thumbnail.jpg\"; filename*=UTF-8''caf%C3%A9%201.thumbnail.jpg");
    }

    @Test
    void quotes_and_backslashes_are_removed_so_they_cannot_end_the_header_value() {
        assertThat(ContentDisposition.inline(jobNamed("a\"; filename=\"evil.html.png"), ImageFormat.PNG))
                .isEqualTo("inline; filename=\"a_ filename_evil.html.thumbnail.png\";"
                        + " filename*=UTF-8''a%3B%20filename%3Devil.html.thumbnail.png");
    }

    @Test
    void cr_lf_nul_and_other_control_characters_are_removed() {
        String header = ContentDisposition.inline(jobNamed("a\r\nSet-Cookie: x=1\u0000\u0007b.png"), ImageFormat.PNG);

        assertThat(header).as("no control character in %s", header).doesNotContainPattern("\\p{Cntrl}");
        assertThat(header).contains("filename=\"aSet-Cookie_ x_1b.thumbnail.png\"");
        assertThat(header).as("nor in the UTF-8 form").doesNotContain("%0D", "%0A", "%00", "%07");
    }

    @Test
    void bidi_overrides_cannot_disguise_the_extension() {
        assertThat(ContentDisposition.thumbnailName("cat\u202Egnp.exe", "x", ImageFormat.PNG))
                .isEqualTo("catgnp.thumbnail.png");
    }

    @Test
    void a_name_made_only_of_dots_and_separators_falls_back_to_the_job_id() {
        assertThat(ContentDisposition.thumbnailName("../../", ID.toString(), ImageFormat.JPEG)).isEqualTo(ID + ".thumbnail.jpg");
        assertThat(ContentDisposition.thumbnailName("..", ID.toString(), ImageFormat.JPEG)).isEqualTo(ID + ".thumbnail.jpg");
    }

    @Test
    void a_path_traversal_name_keeps_only_its_last_segment() {
        assertThat(ContentDisposition.thumbnailName("../../etc/passwd", "x", ImageFormat.PNG))
                .isEqualTo("passwd.thumbnail.png");
        assertThat(ContentDisposition.thumbnailName("..\\..\\windows\\win.ini", "x", ImageFormat.PNG))
                .isEqualTo("win.thumbnail.png");
    }

    @Test
    void a_very_long_name_is_cut_to_a_bounded_length() {
        String name = ContentDisposition.thumbnailName("é".repeat(5000) + ".png", "x", ImageFormat.PNG);

        assertThat(name).isEqualTo("é".repeat(ContentDisposition.MAX_BASE_LENGTH) + ".thumbnail.png");
    }

    @Test
    void the_utf8_form_encodes_everything_outside_the_rfc_5987_unreserved_set() {
        assertThat(ContentDisposition.percentEncoded("a*b'c(d) é~_.-")).isEqualTo("a%2Ab%27c%28d%29%20%C3%A9~_.-");
    }
}
