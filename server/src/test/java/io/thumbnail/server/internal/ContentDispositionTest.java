package io.thumbnail.server.internal;

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
        return new Job(ID, JobStatus.DONE, null, new JobSource(name, 1, ImageFormat.PNG, 1, 1, null), null, null,
                1, null, null, null, null, null);
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
        assertThat(ContentDisposition.inline(jobNamed("café \"1\".png"), ImageFormat.JPEG))
                .as("quotes cannot break out of the header value")
                .isEqualTo("inline; filename=\"caf_ _1_.thumbnail.jpg\"; filename*=UTF-8''caf%C3%A9%20%221%22.thumbnail.jpg");
    }
}
