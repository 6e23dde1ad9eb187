package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Workers, retries and leases, driven by hand with a clock the test moves (no worker threads run). */
class JobLifecycleTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(50, 50);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private final ScriptedPipeline pipeline = new ScriptedPipeline();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private ThumbnailService service;

    private ThumbnailService open() {
        return open(3);
    }

    private ThumbnailService open(int maxAttempts) {
        service = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false))
                .maxAttempts(maxAttempts).retryBackoff(Duration.ofSeconds(1)).lease(Duration.ofSeconds(30))
                .heartbeat(Duration.ofSeconds(10)).build();
        return service;
    }

    @AfterEach
    void close() throws InterruptedException {
        pipeline.releaseFirstCall();
        background.shutdown();
        background.awaitTermination(10, TimeUnit.SECONDS);
        if (service != null) {
            service.close();
        }
    }

    private Job submit(int seed) {
        return service.submit(ImageSource.of(TestImages.png(120, 80, seed), "p" + seed + ".png"), SPEC,
                SubmitOptions.defaults());
    }

    private Job job(UUID id) {
        return service.get(id).orElseThrow();
    }

    private static ThumbnailException ioError(String message) {
        return new ThumbnailException(ErrorCode.IO_ERROR, message);
    }

    @Test
    void a_thumbnail_whose_file_was_removed_outside_the_service_is_not_found_rather_than_a_store_failure()
            throws java.io.IOException {
        open();
        Job job = submit(41);
        service.assembly().byHand().processNext();
        String sha = job(job.id()).result().sha256();
        java.nio.file.Files.delete(dir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha));

        assertThatThrownBy(() -> service.thumbnailBytes(job.id())).as("reading it, as a /file request would")
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code())
                        .as("not io_error, which a client is told to try again later").isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("is missing from the store");
        assertThat(service.stats().blobsWritable()).as("no outage of the store").isTrue();
    }

    @Test
    void transient_error_is_retried_once_the_backoff_has_passed_on_the_clock() {
        open();
        pipeline.failWith(ioError("disk hiccup"));
        Job job = submit(1);

        assertThat(service.assembly().byHand().processNext()).as("first attempt ran").isTrue();
        Job waiting = job(job.id());
        assertThat(waiting.status()).as("status after a transient error").isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.error().code()).as("error kept while waiting").isEqualTo(ErrorCode.IO_ERROR);

        clock.advance(Duration.ofMillis(999));
        assertThat(service.assembly().byHand().processNext()).as("claim before the backoff passed").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(service.assembly().byHand().processNext()).as("claim once the backoff passed").isTrue();

        Job done = job(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.attempts()).as("attempts").isEqualTo(2);
        assertThat(done.error()).as("error after success").isNull();
    }

    @Test
    void backoff_doubles_with_each_retry() {
        open();
        pipeline.failWith(ioError("one"), ioError("two"));
        submit(1);
        service.assembly().byHand().processNext();
        clock.advance(Duration.ofSeconds(1));
        service.assembly().byHand().processNext();

        clock.advance(Duration.ofMillis(1999));
        assertThat(service.assembly().byHand().processNext()).as("third attempt before 2s").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(service.assembly().byHand().processNext()).as("third attempt at 2s").isTrue();
    }

    @Test
    void transient_error_fails_the_job_after_max_attempts_with_the_last_error() {
        open();
        pipeline.failWith(ioError("first"), ioError("second"), ioError("third"));
        Job job = submit(1);

        for (int i = 0; i < 3; i++) {
            assertThat(service.assembly().byHand().processNext()).as("attempt " + (i + 1)).isTrue();
            clock.advance(Duration.ofMinutes(1));
        }

        Job failed = job(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.error()).isEqualTo(new JobError(ErrorCode.IO_ERROR, "third"));
        assertThat(service.assembly().byHand().processNext()).as("anything left to run").isFalse();
    }

    @Test
    void permanent_error_fails_at_once_with_the_pipeline_code() {
        open();
        pipeline.failWith(new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the png data ends early"));
        Job job = submit(1);

        service.assembly().byHand().processNext();

        Job failed = job(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).as("attempts before failing").isEqualTo(1);
        assertThat(failed.error()).isEqualTo(new JobError(ErrorCode.CORRUPT_IMAGE, "the png data ends early"));
        assertThat(failed.finishedAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void truncated_image_fails_with_corrupt_image_from_the_real_pipeline() {
        open();
        byte[] png = TestImages.png(200, 200, 7);
        byte[] truncated = java.util.Arrays.copyOf(png, 60); // header intact, pixel data gone
        Job job = service.submit(ImageSource.of(truncated, "cut.png"), SPEC, SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        Job failed = job(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).as("error code").isEqualTo(ErrorCode.CORRUPT_IMAGE);
        assertThat(failed.attempts()).as("attempts").isEqualTo(1);
    }

    @Test
    void unexpected_exception_is_an_internal_error_and_retried() {
        open();
        pipeline.failWith(new IllegalStateException("bug with a secret path /etc/x"));
        Job job = submit(1);

        service.assembly().byHand().processNext();

        Job waiting = job(job.id());
        assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.error().code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(waiting.error().message()).as("message shown to users").doesNotContain("/etc/x");
    }

    @Test
    void job_of_a_worker_whose_lease_expired_is_taken_up_again() throws Exception {
        open();
        pipeline.holdFirstCall(); // the first worker hangs, as if its process had died
        Job job = submit(1);
        Future<Boolean> hung = background.submit(service.assembly().byHand()::processNext);
        ScriptedPipeline.await(pipeline.firstCallStarted);

        clock.advance(Duration.ofSeconds(29));
        assertThat(service.assembly().byHand().reapExpiredLeases()).as("reaped within the lease").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(service.assembly().byHand().reapExpiredLeases()).as("reaped after the lease").extracting(Job::id)
                .containsExactly(job.id());
        assertThat(service.assembly().byHand().processNext()).as("taken up by another worker").isTrue();

        Job done = job(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.attempts()).isEqualTo(2);
        pipeline.releaseFirstCall();
        hung.get(30, TimeUnit.SECONDS);
        assertThat(job(job.id())).as("the late worker's result is dropped").isEqualTo(done);
    }

    @Test
    void a_job_whose_worker_stopped_each_time_it_was_started_fails_with_timeout_saying_so() throws Exception {
        open(1);
        pipeline.holdFirstCall(); // its only worker hangs, as if its process had been killed
        Job job = submit(1);
        Future<Boolean> hung = background.submit(service.assembly().byHand()::processNext);
        ScriptedPipeline.await(pipeline.firstCallStarted);

        clock.advance(Duration.ofSeconds(31));
        service.assembly().byHand().reapExpiredLeases();

        Job failed = job(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).as("a code whose message clients see, not internal")
                .isEqualTo(ErrorCode.TIMEOUT);
        assertThat(failed.error().message()).isEqualTo("the job was started 1 time and never finished: its worker"
                + " stopped each time (as when its process is killed)");
        pipeline.releaseFirstCall();
        hung.get(30, TimeUnit.SECONDS);
    }

    @Test
    void heartbeat_keeps_a_long_job_from_being_reaped() throws Exception {
        open();
        pipeline.holdFirstCall();
        Job job = submit(1);
        Future<Boolean> running = background.submit(service.assembly().byHand()::processNext);
        ScriptedPipeline.await(pipeline.firstCallStarted);

        clock.advance(Duration.ofSeconds(20));
        assertThat(service.assembly().byHand().heartbeat()).as("leases extended").isEqualTo(1);
        clock.advance(Duration.ofSeconds(20)); // 40s after the claim, 20s after the heartbeat

        assertThat(service.assembly().byHand().reapExpiredLeases()).as("reaped").isEmpty();
        assertThat(job(job.id()).status()).isEqualTo(JobStatus.PROCESSING);
        pipeline.releaseFirstCall();
        running.get(30, TimeUnit.SECONDS);
        assertThat(job(job.id()).status()).isEqualTo(JobStatus.DONE);
        assertThat(job(job.id()).attempts()).as("attempts").isEqualTo(1);
    }

    @Test
    void same_bytes_and_spec_as_a_done_job_complete_at_submit_without_decoding() {
        open();
        byte[] image = TestImages.png(120, 80, 1);
        Job first = service.submit(ImageSource.of(image, "a.png"), SPEC, SubmitOptions.defaults());
        service.assembly().byHand().processNext();

        Job second = service.submit(ImageSource.of(image.clone(), "b.png"), SPEC, SubmitOptions.defaults());

        assertThat(second.status()).as("status returned by submit").isEqualTo(JobStatus.DONE);
        assertThat(second.result()).as("result").isEqualTo(job(first.id()).result());
        assertThat(second.source().name()).isEqualTo("b.png");
        assertThat(pipeline.calls()).as("decodes").isEqualTo(1);
        assertThat(service.assembly().byHand().processNext()).as("anything queued").isFalse();
        assertThat(service.thumbnailBytes(second.id())).isEqualTo(service.thumbnailBytes(first.id()));
    }

    @Test
    void same_bytes_with_another_spec_are_decoded_again_but_stored_once() throws Exception {
        open();
        byte[] image = TestImages.png(120, 80, 1);
        service.submit(ImageSource.of(image, "a.png"), SPEC, SubmitOptions.defaults());
        Job other = service.submit(ImageSource.of(image, "a.png"), ThumbnailSpec.box(20, 20), SubmitOptions.defaults());

        assertThat(other.status()).isEqualTo(JobStatus.QUEUED);
        service.assembly().byHand().processNext();
        service.assembly().byHand().processNext();
        assertThat(pipeline.calls()).as("decodes").isEqualTo(2);
        try (var files = java.nio.file.Files.walk(dir.resolve("blobs"))) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile).count())
                    .as("files: one original, two thumbnails").isEqualTo(3);
        }
    }

    @Test
    void duplicate_waiting_in_the_queue_completes_from_the_first_without_decoding() {
        open();
        byte[] image = TestImages.png(120, 80, 1);
        service.submit(ImageSource.of(image, "a.png"), SPEC, SubmitOptions.defaults());
        Job twin = service.submit(ImageSource.of(image, "b.png"), SPEC, SubmitOptions.defaults());

        service.assembly().byHand().processNext();
        service.assembly().byHand().processNext();

        assertThat(job(twin.id()).status()).isEqualTo(JobStatus.DONE);
        assertThat(pipeline.calls()).as("decodes").isEqualTo(1);
    }

    @Test
    void listener_hears_every_state_change_in_order() throws Exception {
        open();
        List<JobStatus> heard = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch finished = new CountDownLatch(1);
        service.addListener(j -> {
            heard.add(j.status());
            if (j.status().isFinished()) {
                finished.countDown();
            }
        });
        pipeline.failWith(ioError("once"));
        submit(1);
        service.assembly().byHand().processNext();
        clock.advance(Duration.ofSeconds(1));
        service.assembly().byHand().processNext();

        assertThat(finished.await(30, TimeUnit.SECONDS)).as("finish heard").isTrue();
        assertThat(heard).containsExactly(JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.QUEUED,
                JobStatus.PROCESSING, JobStatus.DONE);
    }

    @Test
    void removed_listener_hears_nothing_more() throws Exception {
        open();
        List<Job> heard = Collections.synchronizedList(new ArrayList<>());
        AutoCloseable handle = service.addListener(heard::add);
        CountDownLatch firstHeard = new CountDownLatch(1);
        CountDownLatch secondHeard = new CountDownLatch(2);
        service.addListener(j -> {
            firstHeard.countDown();
            secondHeard.countDown();
        });
        submit(1);
        assertThat(firstHeard.await(30, TimeUnit.SECONDS)).as("first submit heard").isTrue();

        handle.close();
        submit(2);

        assertThat(secondHeard.await(30, TimeUnit.SECONDS)).as("second submit heard").isTrue();
        assertThat(heard).as("heard by the removed listener").hasSize(1);
    }

    @Test
    void throwing_listener_does_not_stop_the_others() throws Exception {
        open();
        CountDownLatch heard = new CountDownLatch(1);
        service.addListener(j -> {
            throw new IllegalStateException("listener bug");
        });
        service.addListener(j -> heard.countDown());

        submit(1);

        assertThat(heard.await(30, TimeUnit.SECONDS)).as("second listener called").isTrue();
    }

    @Test
    void await_returns_the_current_state_when_the_timeout_passes() throws Exception {
        open();
        Job job = submit(1);

        Job awaited = service.await(job.id(), Duration.ofMillis(20));

        assertThat(awaited.status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void await_wakes_when_another_thread_finishes_the_job() throws Exception {
        open();
        Job job = submit(1);
        pipeline.holdFirstCall();
        Future<Boolean> worker = background.submit(service.assembly().byHand()::processNext);
        ScriptedPipeline.await(pipeline.firstCallStarted);
        ExecutorService awaiter = Executors.newSingleThreadExecutor();
        try {
            Future<Job> awaited = awaiter.submit(() -> service.await(job.id(), Duration.ofMinutes(1)));

            pipeline.releaseFirstCall();

            assertThat(awaited.get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.DONE);
            worker.get(30, TimeUnit.SECONDS);
        } finally {
            awaiter.shutdownNow();
        }
    }

    @Test
    void close_ends_an_await_in_progress_with_unavailable_at_once() throws Exception {
        open();
        Job job = submit(1);
        Future<Job> awaited = background.submit(() -> service.await(job.id(), Duration.ofMinutes(10)));
        awaitWaiting(1);

        service.close();

        assertThatThrownBy(() -> awaited.get(30, TimeUnit.SECONDS)).as("the wait, ended by close")
                .cause().isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void deleting_a_job_ends_an_await_on_it_with_not_found() throws Exception {
        open();
        Job job = submit(1);
        Future<Job> awaited = background.submit(() -> service.await(job.id(), Duration.ofMinutes(10)));
        awaitWaiting(1);

        service.delete(job.id());

        assertThatThrownBy(() -> awaited.get(30, TimeUnit.SECONDS)).as("the wait, ended by the delete")
                .cause().isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void listeners_hear_deletions_in_order_and_then_that_the_service_closed() throws Exception {
        open();
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch closed = new CountDownLatch(1);
        service.addListener(new JobListener() {
            @Override
            public void onChange(Job job) {
                heard.add(job.status().id());
            }

            @Override
            public void onDelete(Job deleted) {
                heard.add("deleted");
            }

            @Override
            public void onClose() {
                heard.add("closed");
                closed.countDown();
            }
        });
        Job job = submit(1);
        service.delete(job.id());

        service.close();

        assertThat(closed.await(30, TimeUnit.SECONDS)).as("close heard").isTrue();
        assertThat(heard).containsExactly("queued", "deleted", "closed");
        CountDownLatch late = new CountDownLatch(1);
        service.addListener(new JobListener() {
            @Override
            public void onChange(Job job) {
            }

            @Override
            public void onClose() {
                late.countDown();
            }
        });
        assertThat(late.getCount()).as("a listener added after close is told at once").isZero();
    }

    /** Waits (bounded) until {@code n} awaits are registered: they run on another thread. */
    private void awaitWaiting(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.assembly().waiting() < n) {
            assertThat(System.nanoTime()).as("%d awaits registered in time", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void await_async_completes_when_the_job_finishes_with_no_thread_waiting() throws Exception {
        open();
        Job job = submit(1);
        CompletableFuture<Job> awaited = service.awaitAsync(job.id(), null, Duration.ofMinutes(1), background);
        assertThat(awaited).as("not finished before the job").isNotDone();

        service.assembly().byHand().processNext();

        assertThat(awaited.get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.DONE);
    }

    @Test
    void close_ends_an_async_await_in_progress_with_unavailable() throws Exception {
        open();
        Job job = submit(1);
        CompletableFuture<Job> awaited = service.awaitAsync(job.id(), null, Duration.ofMinutes(10), background);
        assertThat(service.assembly().waiting()).as("the async wait, registered with the others").isEqualTo(1);

        service.close();

        assertFailsWith(awaited, ErrorCode.UNAVAILABLE, "the async wait, ended by close");
    }

    @Test
    void deleting_a_job_ends_an_async_await_on_it_with_not_found() throws Exception {
        open();
        Job job = submit(1);
        CompletableFuture<Job> awaited = service.awaitAsync(job.id(), null, Duration.ofMinutes(10), background);

        service.delete(job.id());

        assertFailsWith(awaited, ErrorCode.NOT_FOUND, "the async wait, ended by the delete");
        assertThat(service.assembly().waiting()).as("waits left registered").isZero();
    }

    @Test
    void await_async_completes_with_the_current_state_when_the_timeout_passes() throws Exception {
        open();
        Job job = submit(1);
        Job awaited = service.awaitAsync(job.id(), null, Duration.ofMillis(20), background).get(30, TimeUnit.SECONDS);

        assertThat(awaited.status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void await_async_of_an_unknown_job_fails_with_not_found() {
        open();
        CompletableFuture<Job> awaited = service.awaitAsync(UUID.randomUUID(), null, Duration.ofSeconds(1), Runnable::run);

        assertFailsWith(awaited, ErrorCode.NOT_FOUND, "the async wait for an unknown job");
    }

    private static void assertFailsWith(CompletableFuture<Job> awaited, ErrorCode code, String what) {
        assertThat(awaited).as(what).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void await_of_an_unknown_job_is_not_found() {
        open();
        assertThatThrownBy(() -> service.await(UUID.randomUUID(), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
