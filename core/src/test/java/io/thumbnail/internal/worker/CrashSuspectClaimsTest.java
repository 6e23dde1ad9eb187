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
        suspects.add(List.of(suspect.id()));
        assertThat(suspects.claimStarted()).as("another worker's claim starts").isTrue();
        CountDownLatch ran = new CountDownLatch(1);
        Thread alone = new Thread(() -> {
            try {
                suspects.runAlone(List.of(suspect), () -> 1, ran::countDown);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "suspect");
        alone.start();
        awaitWaiting(alone);

        assertThat(ran.getCount()).as("runs while the other claim is under way").isEqualTo(1);
        suspects.claimEnded(); // it took nothing
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("runs once the claim ended").isTrue();
        alone.join(10_000);
    }

    @Test
    void no_claim_starts_while_a_suspect_runs_alone() throws Exception {
        CrashSuspects suspects = new CrashSuspects();
        Job suspect = job();
        suspects.add(List.of(suspect.id()));
        boolean[] claimDuringRun = {true};

        suspects.runAlone(List.of(suspect), () -> 1, () -> claimDuringRun[0] = suspects.claimStarted());

        assertThat(claimDuringRun[0]).as("a claim started during the run alone").isFalse();
        assertThat(suspects.claimStarted()).as("a claim after it").isTrue();
    }

    @Test
    void no_claim_starts_while_jobs_are_taken_back_and_marked() {
        CrashSuspects suspects = new CrashSuspects();

        boolean claimDuring = suspects.withClaimsPaused(suspects::claimStarted);

        assertThat(claimDuring).as("a claim started while jobs were taken back").isFalse();
        assertThat(suspects.claimStarted()).as("a claim after it").isTrue();
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
