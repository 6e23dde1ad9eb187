package io.thumbnail;

import io.thumbnail.threads.WorkerThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WorkerNiceTest {
    @TempDir
    Path dir;
    private ThumbnailService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    /** A job of an image of its own ({@code seed}): one the worker has to make, not one dedupe completes at submit. */
    private Job oneJobDone(int seed) throws InterruptedException {
        Job job = service.submit(ImageSource.of(TestImages.png(40, 40, seed), "a.png"), ThumbnailSpec.box(10, 10),
                SubmitOptions.defaults());
        return service.await(job.id(), Duration.ofSeconds(30));
    }

    @Test
    void workers_lower_their_own_priority_to_the_worker_nice_value() throws Exception {
        assumeTrue(WorkerThreads.canRenice(), "Linux /proc and util-linux renice");
        int own = WorkerThreads.ownNice();
        assumeTrue(own < 6, "the test runs below nice 6");
        // Workers of services closed by earlier tests may still be ending (one abandoned in a job, say): not these.
        Map<String, Integer> before = WorkerThreads.niceValues();
        service = ThumbnailService.builder().dataDir(dir).workers(1).workerNice(6).build();

        // The worker lowers itself after its first job, before it claims the next: the second job done means it has.
        assertThat(oneJobDone(1).status()).as("job status").isEqualTo(JobStatus.DONE);
        assertThat(oneJobDone(2).status()).as("second job status").isEqualTo(JobStatus.DONE);

        assertThat(WorkerThreads.startedSince(before)).as("nice value of the service's worker thread")
                .containsExactly(6);
    }

    @Test
    void finisher_threads_run_at_the_worker_nice_value_too() throws Exception {
        assumeTrue(WorkerThreads.canRenice(), "Linux /proc and util-linux renice");
        assumeTrue(WorkerThreads.ownNice() < 6, "the test runs below nice 6");
        Map<String, Integer> before = WorkerThreads.niceValues(WorkerThreads.FINISHERS);
        service = ThumbnailService.builder().dataDir(dir).workers(1).workerNice(6).build();

        // A finisher thread lowers itself as it starts, before it stores its first thumbnail.
        assertThat(oneJobDone(1).status()).as("job status").isEqualTo(JobStatus.DONE);

        assertThat(WorkerThreads.startedSince(before, WorkerThreads.FINISHERS))
                .as("nice value of the service's finisher thread").containsExactly(6);
    }

    @Test
    void by_default_workers_keep_the_priority_of_the_thread_that_built_the_service() throws Exception {
        assumeTrue(Files.isDirectory(WorkerThreads.TASKS), "Linux /proc");
        int own = WorkerThreads.ownNice();
        Map<String, Integer> before = WorkerThreads.niceValues();
        service = ThumbnailService.builder().dataDir(dir).workers(1).build();

        assertThat(oneJobDone(1).status()).as("job status").isEqualTo(JobStatus.DONE);

        assertThat(WorkerThreads.startedSince(before)).as("nice values of the service's worker threads").containsExactly(own);
    }

    @Test
    void a_worker_nice_value_outside_0_to_19_is_refused_naming_the_option() {
        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).workerNice(20).build()).as("20")
                .hasMessageContaining("workerNice").hasMessageContaining("between 0 and 19");
        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).workerNice(-1).build()).as("-1")
                .hasMessageContaining("workerNice");
    }
}
