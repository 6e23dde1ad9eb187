package io.thumbnail.server.internal.http;

import io.thumbnail.ErrorCode;
import io.thumbnail.JobError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientErrorsTest {
    @Test
    void a_data_directory_path_in_a_storage_error_is_masked() {
        JobError stored = new JobError(ErrorCode.IO_ERROR,
                "could not write /srv/thumbs/data/blobs/ab/cd/abcd.tmp: No space left on device");

        assertThat(ClientErrors.of(stored).message()).as("the message a client sees")
                .isEqualTo("could not write [path]: No space left on device")
                .doesNotContain("/srv");
    }

    @Test
    void a_url_in_a_fetch_error_is_kept_whole() {
        JobError stored = new JobError(ErrorCode.IO_ERROR, "could not connect to https://images.example.com/a/b/cat.jpg");

        assertThat(ClientErrors.of(stored)).as("the error a client sees").isEqualTo(stored);
    }

    @Test
    void an_internal_error_says_nothing_of_its_cause() {
        JobError stored = new JobError(ErrorCode.INTERNAL, "NullPointerException at io.thumbnail.internal.worker.JobRunner");

        assertThat(ClientErrors.of(stored).message()).as("the message a client sees")
                .isEqualTo(ClientErrors.INTERNAL);
        assertThat(ClientErrors.of(stored).code()).as("the code is kept").isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void ordinary_messages_and_no_error_pass_unchanged() {
        JobError corrupt = new JobError(ErrorCode.CORRUPT_IMAGE, "the JPEG ends before its last scan (1/2 of the image read)");

        assertThat(ClientErrors.of(corrupt)).as("a message with a fraction").isEqualTo(corrupt);
        assertThat(ClientErrors.of(null)).as("no error").isNull();
    }
}
