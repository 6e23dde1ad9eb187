package io.thumbnail.internal.jobs;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobStatus;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The log's line for each change of a job's state, as an operator greps it: error codes as the API spells them. */
class JobEventsLogTest {
    private final UUID id = UUID.fromString("6bc003ef-7f81-40b2-afc0-5394acebeda7");

    @Test
    void a_failed_job_is_logged_with_its_error_code_as_the_api_spells_it() {
        Job failed = Job.builder().id(id).status(JobStatus.FAILED).attempts(1)
                .error(new JobError(ErrorCode.CORRUPT_IMAGE, "the png image is truncated")).build();

        assertThat(JobEvents.logLine(failed)).as("the failed job's line")
                .isEqualTo("job " + id + " failed: corrupt_image (the png image is truncated)");
    }

    @Test
    void a_job_queued_again_is_logged_with_the_code_of_what_made_it_try_again() {
        Job retried = Job.builder().id(id).status(JobStatus.QUEUED).attempts(1)
                .error(new JobError(ErrorCode.INTERNAL, "an unexpected error occurred")).build();

        assertThat(JobEvents.logLine(retried)).as("the requeued job's line")
                .isEqualTo("job " + id + " queued for retry after internal");
    }
}
