package io.thumbnail;

import io.thumbnail.internal.image.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-job time limit: an overrunning job fails with timeout and its worker is replaced; no waiting on time. */
class JobTimeoutTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private final HangingPipeline pipeline = new HangingPipeline();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private ThumbnailService service;

    @AfterEach
    void close() throws InterruptedException {
        pipeline.release.countDown();
        background.shutdownNow();
        background.awaitTermination(10, TimeUnit.SECONDS);
        if (service != null) {
            service.close();
        }
    }

    /** The first call hangs until released; {@code ignoreInterrupts} makes it a decode that does not notice them. */
    private static final class HangingPipeline implements Pipeline {
        final CountDownLatch hanging = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean ignoreInterrupts;
        private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public Thumbnail thumbnail(byte[] source, ThumbnailSpec spec) {
            if (calls.incrementAndGet() == 1) {
                hanging.countDown();
                while (true) {
                    try {
                        if (release.await(60, TimeUnit.SECONDS)) {
                            break;
                        }
                    } catch (InterruptedException e) {
                        if (!ignoreInterrupts) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("decode interrupted", e);
                        }
                    }
                }
            }
            return thumbnailer.thumbnail(source, spec);
        }
    }

    private Job submit(int seed) {
        return service.submit(ImageSource.of(TestImages.png(60, 40, seed), "t" + seed + ".png"), SPEC,
                SubmitOptions.defaults());
    }

    private Job job(Job job) {
        return service.get(job.id()).orElseThrow();
    }

    private void openByHand() {
        service = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false))
                .jobTimeout(LIMIT).build();
    }

    private void openWithOneWorker() {
        service = ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withPipeline(pipeline)).workers(1)
                .jobTimeout(LIMIT).build();
    }

    @Test
    void job_running_past_its_time_limit_fails_with_timeout_and_is_not_retried() throws Exception {
        openByHand();
        Job job = submit(1);
        Future<Boolean> running = background.submit(() -> service.assembly().byHand().processNext());
        assertThat(pipeline.hanging.await(30, TimeUnit.SECONDS)).as("decode started").isTrue();

        clock.advance(LIMIT);
        List<Job> expired = service.assembly().byHand().expireOverdueJobs();

        assertThat(expired).as("jobs failed for overrunning").extracting(Job::id).containsExactly(job.id());
        Job failed = job(job);
        assertThat(failed.status()).as("status").isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).as("error code").isEqualTo(ErrorCode.TIMEOUT);
        assertThat(failed.error().message()).as("error message").contains("10 s");
        assertThat(failed.attempts()).as("attempts (no retry)").isEqualTo(1);
        assertThat(running.get(30, TimeUnit.SECONDS)).as("the interrupted worker returned").isTrue();
        assertThat(job(job).status()).as("status after the worker gave up").isEqualTo(JobStatus.FAILED);
    }

    @Test
    void job_overrunning_while_a_store_fails_goes_back_to_the_queue_instead_of_failing_for_good() throws Exception {
        openByHand();
        Job job = submit(7);
        Future<Boolean> running = background.submit(() -> service.assembly().byHand().processNext());
        assertThat(pipeline.hanging.await(30, TimeUnit.SECONDS)).as("decode started").isTrue();
        // As a bucket that stopped answering: the job's reads and writes hang up to the store's own timeouts.
        service.assembly().health().blobs().failed(new java.io.IOException("the bucket does not answer"));

        clock.advance(LIMIT);
        List<Job> expired = service.assembly().byHand().expireOverdueJobs();

        assertThat(expired).as("jobs failed for overrunning").isEmpty();
        Job back = job(job);
        assertThat(back.status()).as("status, error: %s", back.error()).isEqualTo(JobStatus.QUEUED);
        assertThat(back.error().code()).isEqualTo(ErrorCode.IO_ERROR);
        assertThat(back.error().message()).contains("the blob store failed while the job ran");
        assertThat(running.get(30, TimeUnit.SECONDS)).as("the interrupted worker returned").isTrue();
        assertThat(job(job).status()).as("status after the worker gave up").isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void job_within_its_time_limit_is_left_running() throws Exception {
        openByHand();
        Job job = submit(2);
        background.submit(() -> service.assembly().byHand().processNext());
        assertThat(pipeline.hanging.await(30, TimeUnit.SECONDS)).as("decode started").isTrue();

        clock.advance(LIMIT.minusMillis(1));

        assertThat(service.assembly().byHand().expireOverdueJobs()).as("jobs expired a millisecond early").isEmpty();
        assertThat(job(job).status()).as("status").isEqualTo(JobStatus.PROCESSING);
    }

    @Test
    void worker_stuck_in_a_decode_that_ignores_interrupts_is_replaced() throws Exception {
        pipeline.ignoreInterrupts = true;
        openWithOneWorker();
        Job stuck = submit(3);
        assertThat(pipeline.hanging.await(30, TimeUnit.SECONDS)).as("decode started").isTrue();
        Job next = submit(4);

        clock.advance(LIMIT);
        service.assembly().byHand().expireOverdueJobs();

        assertThat(service.await(stuck.id(), Duration.ofSeconds(30)).error().code()).as("stuck job's error")
                .isEqualTo(ErrorCode.TIMEOUT);
        assertThat(service.await(next.id(), Duration.ofSeconds(30)).status()).as("next job, on the new worker")
                .isEqualTo(JobStatus.DONE);
        assertThat(service.stats().workers()).as("pool size").isEqualTo(1);
    }

    @Test
    void a_worker_left_behind_in_an_overrunning_decode_is_counted_until_it_returns() throws Exception {
        pipeline.ignoreInterrupts = true;
        openWithOneWorker();
        Job stuck = submit(8);
        assertThat(pipeline.hanging.await(30, TimeUnit.SECONDS)).as("decode started").isTrue();
        assertThat(service.stats().abandonedWorkers()).as("abandoned while the job is within its limit").isZero();

        clock.advance(LIMIT);
        service.assembly().byHand().expireOverdueJobs();
        int whileStuck = service.stats().abandonedWorkers();
        pipeline.release.countDown();
        Awaiting.until(() -> service.stats().abandonedWorkers() == 0, "the abandoned worker returned",
                Duration.ofSeconds(30));

        assertThat(service.await(stuck.id(), Duration.ofSeconds(30)).error().code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(whileStuck).as("abandoned while its decode ignores the interrupt").isEqualTo(1);
        assertThat(service.stats().workers()).as("pool size").isEqualTo(1);
    }

    @Test
    void deleting_a_job_while_it_is_made_frees_its_worker_for_the_next_job_at_once() throws Exception {
        pipeline.ignoreInterrupts = true;
        openWithOneWorker();
        Job deleted = submit(5);
        assertThat(pipeline.hanging.await(30, TimeUnit.SECONDS)).as("decode started").isTrue();
        Job next = submit(6);

        assertThat(service.delete(deleted.id())).as("deleted while processing").isPresent();

        assertThat(service.await(next.id(), Duration.ofSeconds(30)).status())
                .as("the next job, made on a new worker before any time limit (the clock stands still)")
                .isEqualTo(JobStatus.DONE);
        assertThat(service.stats().workers()).as("pool size").isEqualTo(1);
        assertThat(service.get(deleted.id())).as("the deleted job").isEmpty();
    }

    @Test
    void job_timeout_must_be_positive() {
        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).jobTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobTimeout");
    }
}
