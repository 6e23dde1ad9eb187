package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailException;
import io.thumbnail.MutableClock;
import io.thumbnail.internal.health.OutageRetry;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.SqliteJobStore;
import io.thumbnail.internal.store.StoreFixtures;
import io.thumbnail.internal.time.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a job's failure becomes, recorded in a real SQLite job store. */
class JobFailuresTest {
    private static final String NODE = "node-1";
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration AGING = Duration.ofMinutes(5);
    private static final int MAX_ATTEMPTS = 2;

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final List<Duration> waits = new ArrayList<>();
    /** What happens elsewhere during each wait between two tries. */
    private Runnable whileWaiting = () -> { };
    private final Sleeper sleeper = wait -> {
        waits.add(wait);
        clock.advance(wait);
        whileWaiting.run();
    };
    private JobStore store;
    private JobFailures failures;

    @BeforeEach
    void open() {
        store = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { });
        failures = failuresOn(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private JobFailures failuresOn(JobStore on) {
        return new JobFailures(on, Clock.fixed(T0, ZoneOffset.UTC), NODE, MAX_ATTEMPTS,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(64)), sleeper);
    }

    /** A new job, claimed by this node at {@code now}. */
    private Job claimed() {
        store.insert(null, List.of(StoreFixtures.queued(T0)), new JobStore.QueueLimits(10, 10));
        return claimAt(T0).orElseThrow();
    }

    private Optional<Job> claimAt(Instant now) {
        return store.claimNext(NODE, now, LEASE, AGING).map(JobStore.Claim::job);
    }

    private Job stored(Job job) {
        return store.get(job.id()).orElseThrow();
    }

    @Test
    void an_error_of_the_input_fails_the_job_at_once_with_its_code() {
        Job job = claimed();

        failures.failed(job, new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the JPEG ends early"));

        assertThat(stored(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(stored(job).error().code()).isEqualTo(ErrorCode.CORRUPT_IMAGE);
        assertThat(stored(job).error().message()).isEqualTo("the JPEG ends early");
    }

    @Test
    void a_transient_error_sends_the_job_back_with_backoff_until_its_attempts_are_spent() {
        Job job = claimed();

        failures.failed(job, new ThumbnailException(ErrorCode.IO_ERROR, "read failed"));
        assertThat(stored(job).status()).as("after attempt 1 of " + MAX_ATTEMPTS).isEqualTo(JobStatus.QUEUED);
        assertThat(claimAt(T0)).as("claimable before the backoff passed").isEmpty();
        Job again = claimAt(T0.plusSeconds(1)).orElseThrow();

        failures.failed(again, new ThumbnailException(ErrorCode.IO_ERROR, "read failed"));
        assertThat(stored(job).status()).as("after attempt 2 of " + MAX_ATTEMPTS).isEqualTo(JobStatus.FAILED);
        assertThat(stored(job).error().code()).isEqualTo(ErrorCode.IO_ERROR);
    }

    @Test
    void a_failing_store_sends_the_job_back_for_longer_than_a_failure_of_its_own() {
        Job job = claimed();

        failures.failed(job, new StoreException("disk full", new IOException("No space left on device")));

        assertThat(stored(job).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(claimAt(T0.plus(JobFailures.STORAGE_BACKOFF.delayAfter(1)).minusSeconds(1)))
                .as("claimable before the storage backoff passed").isEmpty();
        assertThat(claimAt(T0.plus(JobFailures.STORAGE_BACKOFF.delayAfter(1)))).as("claimable after it").isPresent();
        assertThat(JobFailures.STORAGE_BACKOFF.delayAfter(1)).as("the storage backoff")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void an_unexpected_error_is_recorded_as_internal_without_its_details() {
        Job job = claimed();

        failures.failed(job, new IllegalStateException("a bug's own words"));

        assertThat(stored(job).error().code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(stored(job).error().message())
                .isEqualTo("an unexpected error occurred while making the thumbnail");
    }

    @Test
    void whatever_guarded_work_throws_is_recorded_on_its_jobs_and_never_reaches_the_thread() {
        Job job = claimed();

        assertThatCode(() -> failures.guarded(List.of(job), () -> {
            throw new OutOfMemoryError("Java heap space");
        })).doesNotThrowAnyException();

        assertThat(stored(job).status()).as("sent back for another attempt").isEqualTo(JobStatus.QUEUED);
        assertThat(stored(job).error().code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void a_job_whose_thread_was_interrupted_is_left_as_it_is() {
        Job job = claimed();

        Thread.currentThread().interrupt();
        try {
            failures.failed(job, new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the JPEG ends early"));
        } finally {
            Thread.interrupted();
        }

        assertThat(stored(job).status()).as("no longer this thread's to change").isEqualTo(JobStatus.PROCESSING);
    }

    @Test
    void a_failure_the_store_cannot_record_in_a_few_seconds_leaves_the_job_processing_for_its_lease_to_run_out() {
        Job job = claimed();
        store.close();
        JobStore closed = store;
        store = SqliteJobStore.open(dir.resolve("jobs.db"), T0, changed -> { });
        JobFailures onAClosedStore = failuresOn(closed);
        assertThatThrownBy(() -> closed.fail(job.id(), NODE, new JobError(ErrorCode.CORRUPT_IMAGE, "bad"), T0))
                .as("the premise: a closed store refuses writes as a failing store does")
                .isInstanceOf(StoreException.class);

        assertThatCode(() -> onAClosedStore.failed(job, new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "bad")))
                .doesNotThrowAnyException();

        assertThat(stored(job).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(waits).as("waits between the tries").hasSize(OutageRetry.TRIES - 1);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).as("time spent trying")
                .isLessThan(LEASE.dividedBy(4));
    }

    @Test
    void a_failure_the_store_refuses_once_is_recorded_by_the_next_try_with_its_own_error() {
        Job job = claimed();
        FailingWrites failing = new FailingWrites(store);
        failing.failNext("fail", 1);

        failuresOn(failing.store()).failed(job, new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the JPEG ends early"));

        assertThat(stored(job).status()).as("the job, once the store works").isEqualTo(JobStatus.FAILED);
        assertThat(stored(job).error().code()).as("its error, not a lost lease's").isEqualTo(ErrorCode.CORRUPT_IMAGE);
        assertThat(waits).as("waits before the try that recorded it").containsExactly(Duration.ofMillis(250));
    }

    @Test
    void a_retry_the_store_refuses_once_sends_the_job_back_without_waiting_for_its_lease() {
        Job job = claimed();
        FailingWrites failing = new FailingWrites(store);
        failing.failNext("retry", 1);

        failuresOn(failing.store()).failed(job, new ThumbnailException(ErrorCode.IO_ERROR, "read failed"));

        assertThat(stored(job).status()).as("the job, back in the queue").isEqualTo(JobStatus.QUEUED);
        assertThat(failing.calls("retry")).as("tries to send it back").isEqualTo(2);
    }

    @Test
    void a_retry_that_committed_though_its_try_failed_is_not_written_again_over_the_next_claim() {
        Job job = claimed();
        FailingWrites failing = new FailingWrites(store);
        failing.commitThenFailNext("retry", 1);
        Job[] next = new Job[1];
        whileWaiting = () -> {
            if (next[0] == null) {
                next[0] = claimAt(T0.plusSeconds(60)).orElse(null);
            }
        };

        failuresOn(failing.store()).failed(job, new ThumbnailException(ErrorCode.IO_ERROR, "read failed"));

        assertThat(next[0]).as("the job, claimed again while the first try's answer was lost").isNotNull();
        assertThat(stored(job).status()).as("the job, still the new claim's").isEqualTo(JobStatus.PROCESSING);
        assertThat(stored(job).attempts()).as("attempts, the new claim's").isEqualTo(2);
        assertThat(failing.calls("retry")).as("writes sending it back, the committed one only").isEqualTo(1);
    }
}
