package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The claims a suspect's run alone waits for, and the claims that wait for it. */
class CrashSuspectClaimsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Job job() {
        return Job.builder().id(UUID.randomUUID()).status(JobStatus.PROCESSING).spec(ThumbnailSpec.box(10, 10))
                .attempts(1).createdAt(T0).startedAt(T0).build();
    }

    @Test
    void a_suspect_waits_for_a_claim_under_way_whose_job_is_not_counted_as_running_yet() throws Exception {
        CrashSuspects suspects = new CrashSuspects();
        Job suspect = job();
        assertThat(suspects.claimStarted()).as("another worker's claim starts").isTrue();
        WaitingSuspect alone = WaitingSuspect.start(suspects, List.of(suspect), () -> 1);

        assertThat(alone.ran.getCount()).as("runs while the other claim is under way").isEqualTo(1);
        suspects.claimEnded(); // it took nothing
        assertThat(alone.ran.await(10, TimeUnit.SECONDS)).as("runs once the claim ended").isTrue();
        alone.thread.join(10_000);
    }

    @Test
    void no_claim_starts_while_a_suspect_runs_alone() throws Exception {
        CrashSuspects suspects = new CrashSuspects();
        Job suspect = job();
        boolean[] claimDuringRun = {true};

        suspects.runAlone(List.of(suspect), () -> 1, () -> claimDuringRun[0] = suspects.claimStarted());

        assertThat(claimDuringRun[0]).as("a claim started during the run alone").isFalse();
        assertThat(suspects.claimStarted()).as("a claim after it").isTrue();
    }

    @Test
    void a_suspect_deleted_while_it_waits_its_turn_does_not_run() throws Exception {
        CrashSuspects suspects = new CrashSuspects();
        Job suspect = job();
        // Another job runs beside it: running counts two, the suspect waits.
        WaitingSuspect alone = WaitingSuspect.start(suspects, List.of(suspect), () -> 2);

        suspects.deleted(suspect.id());
        alone.thread.join(10_000);

        assertThat(alone.thread.isAlive()).as("the suspect's thread, once its job was deleted").isFalse();
        assertThat(alone.result.get()).as("runAlone's answer: ran").isFalse();
        assertThat(alone.ran.getCount()).as("runs left of the deleted suspect").isEqualTo(1);
        assertThat(suspects.claimStarted()).as("a claim once it stopped waiting").isTrue();
    }

    @Test
    void a_suspect_waiting_its_turn_when_the_node_stops_does_not_run() throws Exception {
        CrashSuspects suspects = new CrashSuspects();
        Job suspect = job();
        // Another job runs beside it: running counts two, the suspect waits.
        WaitingSuspect alone = WaitingSuspect.start(suspects, List.of(suspect), () -> 2);

        suspects.stop();
        alone.thread.join(10_000);

        assertThat(alone.thread.isAlive()).as("the suspect's thread, once the node stops").isFalse();
        assertThat(alone.result.get()).as("runAlone's answer: ran").isFalse();
        assertThat(alone.ran.getCount()).as("runs left of the suspect").isEqualTo(1);
    }

    @Test
    void a_group_with_one_of_its_jobs_deleted_still_runs_alone() throws Exception {
        CrashSuspects suspects = new CrashSuspects();
        Job suspect = job();
        Job rendition = job();
        AtomicInteger running = new AtomicInteger(2);
        WaitingSuspect alone = WaitingSuspect.start(suspects, List.of(suspect, rendition), running::get);

        suspects.deleted(rendition.id());
        running.set(1);
        suspects.jobEnded(); // the job beside it ended

        assertThat(alone.ran.await(10, TimeUnit.SECONDS)).as("the group, one of its jobs left, ran").isTrue();
        alone.thread.join(10_000);
    }

    /** A suspect's run alone on a thread of its own, started and waiting its turn: whether it ran, and its answer. */
    private record WaitingSuspect(Thread thread, CountDownLatch ran, AtomicReference<Boolean> result) {
        /** Starts {@code jobs}' run alone beside {@code running} jobs (its own counted), and waits until it waits. */
        static WaitingSuspect start(CrashSuspects suspects, List<Job> jobs, IntSupplier running)
                throws InterruptedException {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<Boolean> result = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    result.set(suspects.runAlone(jobs, running, ran::countDown));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "suspect");
            thread.start();
            awaitWaiting(thread);
            return new WaitingSuspect(thread, ran, result);
        }
    }

    /** Waits, bounded, until {@code thread} blocks. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(thread.getState()).as("state of the suspect's thread").isEqualTo(Thread.State.WAITING);
    }
}
