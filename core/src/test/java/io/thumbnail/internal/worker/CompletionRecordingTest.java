package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobStatus;
import io.thumbnail.MutableClock;
import io.thumbnail.Publication;
import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.internal.blob.LocalBlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.SqliteJobStore;
import io.thumbnail.internal.store.StoreFixtures;
import io.thumbnail.internal.time.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A made thumbnail's job marked done while the job database fails for a moment: the write is tried again for a few
 * seconds with the job still held, so a blip costs the job nothing, not even on its last attempt; only a completion
 * that every try fails on goes back to the queue. A real SQLite store whose chosen writes are made to fail; the
 * thumbnail is stored by a finisher that runs once the worker has moved on, as a finisher thread does; time is the
 * test's clock, which each wait between two tries moves on.
 */
class CompletionRecordingTest {
    private static final String NODE = "node-1";
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Every claim is the job's last allowed attempt: a lease that runs out on it fails the job. */
    private static final int MAX_ATTEMPTS = 1;
    private static final byte[] THUMBNAIL = {1, 2, 3, 4};
    /** What the stand-in pipeline reports of every source; nothing here reads it. */
    private static final SourceInfo SOURCE = new SourceInfo(ImageFormat.JPEG, 640, 480, 1234,
            StoreFixtures.sha("original"));

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final List<Duration> waits = new ArrayList<>();
    private final List<UUID> published = new ArrayList<>();
    private final Queue<Runnable> finishing = new ArrayDeque<>();
    /** What happens elsewhere during each wait between two tries. */
    private Runnable whileWaiting = () -> { };
    private JobStore real;
    private LocalBlobStore blobs;
    private FailingWrites failing;
    private JobRunner runner;

    @BeforeEach
    void open() {
        real = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { });
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        failing = new FailingWrites(real);
        Sleeper sleeper = wait -> {
            waits.add(wait);
            clock.advance(wait);
            whileWaiting.run();
        };
        runner = new JobRunner(failing.store(), blobs, new RecentOriginals(RecentOriginals.DEFAULT_BUDGET),
                (source, spec) -> new Thumbnail(THUMBNAIL, ImageFormat.PNG, 2, 2, SOURCE), clock, NODE, LEASE,
                Duration.ofMinutes(5), MAX_ATTEMPTS, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(64)), null,
                published::add, finishing::add, Duration.ofMinutes(1), StorageHealth.of(clock), sleeper);
    }

    @AfterEach
    void close() {
        blobs.close();
        real.close();
    }

    /** A queued job whose original is stored, to be published to the gallery if {@code publish}. */
    private UUID queued(boolean publish) {
        Job job = StoreFixtures.queued(T0);
        if (publish) {
            job = job.toBuilder().publication(Publication.pending("gallery")).build();
        }
        blobs.write(job.source().sha256(), new byte[(int) job.source().bytes()]);
        real.insert(null, List.of(job), new JobStore.QueueLimits(10, 10));
        return job.id();
    }

    /** A worker claims the next job and makes its thumbnail; then a finisher stores it and marks the job done. */
    private void runNextJob() {
        assertThat(runner.runNext()).as("a job was claimed").isTrue();
        while (!finishing.isEmpty()) {
            finishing.poll().run();
        }
    }

    private Job stored(UUID id) {
        return real.get(id).orElseThrow();
    }

    @Test
    void a_completion_the_store_fails_once_is_recorded_by_the_next_try_without_spending_an_attempt() {
        UUID id = queued(false);
        failing.failNext("complete", 1);

        runNextJob();

        Job job = stored(id);
        assertThat(job.status()).as("the job, on its last allowed attempt").isEqualTo(JobStatus.DONE);
        assertThat(blobs.read(job.result().sha256())).as("its thumbnail").isEqualTo(THUMBNAIL);
        assertThat(waits).as("waits before the try that recorded it").containsExactly(Duration.ofMillis(250));
        assertThat(job.attempts()).as("attempts, the one that made it").isEqualTo(1);
    }

    @Test
    void a_blip_that_also_refuses_sending_the_job_back_leaves_nothing_for_the_reaper_to_fail() {
        UUID id = queued(false);
        failing.failNext("complete", 1);
        failing.failNext("retry", 1);

        runNextJob();
        clock.advance(LEASE.plusSeconds(1));
        List<Job> reaped = real.reapExpired(clock.instant(), MAX_ATTEMPTS,
                new JobError(ErrorCode.INTERNAL, "lost its lease"), true, List.of());

        assertThat(reaped).as("jobs the reaper took back once their lease ran out").isEmpty();
        assertThat(stored(id).status()).as("the job, on its last allowed attempt").isEqualTo(JobStatus.DONE);
    }

    @Test
    void while_a_completion_is_tried_again_the_job_is_still_held_and_its_lease_renewed() {
        UUID id = queued(false);
        failing.failNext("complete", 2);
        List<Integer> renewed = new ArrayList<>();
        whileWaiting = () -> renewed.add(real.extendLeases(NODE, runner.heldJobs(), clock.instant(), LEASE));

        runNextJob();

        assertThat(renewed).as("leases renewed by heartbeats during the waits").containsExactly(1, 1);
        assertThat(stored(id).status()).as("the job, once the store works").isEqualTo(JobStatus.DONE);
    }

    @Test
    void a_completion_that_committed_though_its_try_failed_is_taken_as_recorded_and_its_thumbnail_kept() {
        UUID id = queued(false);
        failing.commitThenFailNext("complete", 1);

        runNextJob();

        Job job = stored(id);
        assertThat(job.status()).as("the job").isEqualTo(JobStatus.DONE);
        assertThat(blobs.read(job.result().sha256())).as("its thumbnail, kept").isEqualTo(THUMBNAIL);
        assertThat(failing.calls("complete")).as("tries to mark it done, the second finding it done")
                .isEqualTo(2);
    }

    @Test
    void a_completion_that_committed_though_its_try_failed_still_hands_the_job_to_publishing() {
        UUID id = queued(true);
        failing.commitThenFailNext("complete", 1);

        runNextJob();

        assertThat(published).as("jobs handed to publishing").containsExactly(id);
    }

    @Test
    void a_completion_that_committed_is_recognised_even_if_the_first_look_at_its_row_fails_too() {
        UUID id = queued(true);
        failing.commitThenFailNext("complete", 1);
        failing.failNext("get", 1);

        runNextJob();

        assertThat(failing.calls("get")).as("looks at the row, the first failing").isGreaterThanOrEqualTo(2);
        assertThat(published).as("jobs handed to publishing").containsExactly(id);
    }

    @Test
    void a_completion_the_store_keeps_failing_is_tried_a_few_times_within_a_few_seconds_then_sent_back() {
        UUID id = queued(false);
        failing.failNext("complete", Integer.MAX_VALUE);

        runNextJob();

        Job job = stored(id);
        assertThat(failing.calls("complete")).as("tries to mark it done").isEqualTo(Completions.TRIES);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).as("time waited between them")
                .isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(job.status()).as("the job, back in the queue").isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).as("attempts spent").isZero();
    }
}
