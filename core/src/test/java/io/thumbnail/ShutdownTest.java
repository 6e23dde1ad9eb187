package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(16, 16);

    @TempDir
    Path dir;
    private final ScriptedPipeline pipeline = new ScriptedPipeline().holdFirstCall();

    @AfterEach
    void release() {
        pipeline.releaseFirstCall();
    }

    private List<Job> submitThree(ThumbnailService service) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(service.submit(ImageSource.of(TestImages.png(20, 20, i), "a.png"), SPEC,
                    SubmitOptions.defaults()));
        }
        return jobs;
    }

    private ThumbnailService reopen() {
        return ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).build();
    }

    @Test
    void close_lets_the_running_job_finish_and_leaves_the_rest_queued() {
        List<Job> jobs;
        try (ThumbnailService service = ThumbnailService.builder().dataDir(dir).workers(1)
                .hooks(h -> h.withPipeline(pipeline))
                .build()) {
            jobs = submitThree(service);
            ScriptedPipeline.await(pipeline.firstCallStarted);
            service.assembly().stopClaiming(); // what close() does first; done here so the release below cannot race it
            pipeline.releaseFirstCall();
        }

        try (ThumbnailService next = reopen()) {
            assertThat(next.get(jobs.get(0).id()).orElseThrow().status()).as("the running job")
                    .isEqualTo(JobStatus.DONE);
            for (Job waiting : jobs.subList(1, 3)) {
                Job job = next.get(waiting.id()).orElseThrow();
                assertThat(job.status()).as("a waiting job").isEqualTo(JobStatus.QUEUED);
                assertThat(job.attempts()).as("attempts of a waiting job").isZero();
            }
        }
    }

    @Test
    void close_gives_up_on_a_hung_job_after_the_timeout_and_the_next_start_runs_it_again() {
        Job hung;
        long started = System.nanoTime();
        try (ThumbnailService service = ThumbnailService.builder().dataDir(dir).workers(1)
                .hooks(h -> h.withPipeline(pipeline))
                .shutdownTimeout(Duration.ofMillis(200)).build()) {
            hung = submitThree(service).get(0);
            ScriptedPipeline.await(pipeline.firstCallStarted);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time close took")
                .isLessThan(Duration.ofSeconds(20));

        try (ThumbnailService next = reopen()) {
            Job job = next.get(hung.id()).orElseThrow();
            assertThat(job.status()).as("hung job after restart").isEqualTo(JobStatus.QUEUED);
            assertThat(job.attempts()).as("attempts").isEqualTo(1);
            while (next.assembly().byHand().processNext()) {
                // run everything
            }
            assertThat(next.get(hung.id()).orElseThrow().status()).isEqualTo(JobStatus.DONE);
        }
    }

    @Test
    void service_threads_are_named() {
        try (ThumbnailService service = ThumbnailService.builder().dataDir(dir).workers(2)
                .hooks(h -> h.withPipeline(pipeline))
                .build()) {
            service.submit(ImageSource.of(TestImages.png(20, 20, 1), "a.png"), SPEC, SubmitOptions.defaults());
            ScriptedPipeline.await(pipeline.firstCallStarted);

            Set<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .collect(Collectors.toSet());

            assertThat(names).as("live thread names").contains("thumbnail-worker-1", "thumbnail-worker-2",
                    "thumbnail-events");
            assertThat(names).as("live thread names").anyMatch(n -> n.startsWith("thumbnail-housekeeping"));
            assertThat(names).as("live thread names").anyMatch(n -> n.startsWith("thumbnail-writer"));
            pipeline.releaseFirstCall();
        }
    }
}
