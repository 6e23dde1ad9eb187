package io.thumbnail.internal.jobs;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobWaitsTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Executor DIRECT = Runnable::run;

    private final JobWaits waits = new JobWaits();
    private final UUID id = UUID.randomUUID();
    private final Job queued = Job.builder().id(id).status(JobStatus.QUEUED).build();
    private final Job done = queued.toBuilder().status(JobStatus.DONE).build();

    @Test
    void a_job_finished_between_the_first_read_and_the_wait_ends_the_wait_at_once() throws InterruptedException {
        // The read finds the job queued, and the job finishes right after it: the wait, registered before the read,
        // must hear of it rather than sleep until the timeout.
        Optional<Job> job = waits.await(id, Duration.ofSeconds(30), () -> {
            waits.changed(done);
            return Optional.of(queued);
        });

        assertThat(job).as("the job as its finishing change left it").contains(done);
        assertThat(waits.waiting()).as("waits left registered").isZero();
    }

    @Test
    void a_wait_for_a_finished_or_unknown_job_ends_at_once() throws InterruptedException {
        assertThat(waits.await(id, LONG, () -> Optional.of(done))).as("finished already").contains(done);
        assertThat(waits.await(id, LONG, Optional::empty)).as("unknown").isEmpty();
        assertThat(waits.waiting()).as("waits left registered").isZero();
    }

    @Test
    void a_wait_that_times_out_answers_the_job_as_it_is_then() throws InterruptedException {
        AtomicInteger reads = new AtomicInteger();

        Optional<Job> job = waits.await(id, Duration.ZERO, () -> {
            reads.incrementAndGet();
            return Optional.of(queued);
        });

        assertThat(job).contains(queued);
        assertThat(reads).as("reads: the first, and the one when the timeout passed").hasValue(2);
    }

    @Test
    void an_asynchronous_wait_completes_with_the_finishing_change_and_holds_no_thread() throws Exception {
        CompletableFuture<Optional<Job>> waiting = waits.awaitAsync(id, LONG, () -> Optional.of(queued), DIRECT);
        assertThat(waiting).as("before the job finished").isNotDone();
        assertThat(waits.awaited()).as("jobs waited for").containsExactly(id);

        waits.changed(queued.toBuilder().status(JobStatus.PROCESSING).build());
        assertThat(waiting).as("after a change that does not finish the job").isNotDone();
        waits.changed(done);

        assertThat(waiting.get(0, TimeUnit.SECONDS)).contains(done);
        assertThat(waits.waiting()).as("waits left registered").isZero();
    }

    @Test
    void a_deletion_ends_the_wait_which_then_finds_the_job_gone() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Optional<Job>> waiting = waits.awaitAsync(id, LONG,
                () -> reads.incrementAndGet() == 1 ? Optional.of(queued) : Optional.empty(), DIRECT);

        waits.deleted(id);

        assertThat(waiting.get(0, TimeUnit.SECONDS)).as("the job read again after its deletion").isEmpty();
    }

    @Test
    void ending_the_waits_ends_those_in_progress_and_refuses_those_to_come_as_unavailable() {
        CompletableFuture<Optional<Job>> waiting = waits.awaitAsync(id, LONG, () -> Optional.of(queued), DIRECT);

        waits.endWaits("closing");

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(ThumbnailException.class).hasMessageContaining("closing");
        assertThatThrownBy(() -> waits.await(id, LONG, () -> Optional.of(queued)))
                .isInstanceOf(ThumbnailException.class)
                .extracting(e -> ((ThumbnailException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(waits.waiting()).as("waits left registered").isZero();
    }
}
