package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static io.thumbnail.internal.store.StoreFixtures.queued;
import static io.thumbnail.internal.store.StoreFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link JobStore} must do for crash suspects: the jobs it takes back because their process died are
 * marked on their rows in the same statement, so that the claim of any node says so; the jobs a take-back is told
 * did not die are not. A store for another database extends this class too.
 */
public abstract class CrashSuspectMarkContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration AGING = Duration.ofMinutes(5);
    private static final JobError LOST = new JobError(ErrorCode.TIMEOUT, "its worker stopped");
    private static final JobStore.QueueLimits ROOMY = new JobStore.QueueLimits(10_000, 10_000);
    /** After the leases of jobs claimed at {@link StoreFixtures#T0} ran out. */
    private static final Instant EXPIRED = T0.plus(LEASE).plusSeconds(1);

    private JobStore store;

    /** A new, empty store that reports committed changes to {@code changes}. */
    protected abstract JobStore openStore(Consumer<Job> changes);

    @BeforeEach
    void open() {
        store = openStore(job -> { });
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A queued job, inserted. */
    private Job inserted() {
        Job job = queued(T0);
        store.insert(null, List.of(job), ROOMY);
        return job;
    }

    /** A job node-a held at its start, taken back as a suspect, and claimed by node-b at {@code claimedAt}. */
    private Job suspectClaimedByNodeB(Instant claimedAt) {
        Job job = inserted();
        claim("node-a", T0);
        store.releaseLeases("node-a", T0, 3, LOST);
        claim("node-b", claimedAt);
        return job;
    }

    /** The next claim of {@code nodeId} at {@code now}. */
    private JobStore.Claim claim(String nodeId, Instant now) {
        return store.claimNext(nodeId, now, LEASE, AGING).orElseThrow();
    }

    @Test
    void a_job_claimed_for_the_first_time_is_no_crash_suspect() {
        inserted();

        assertThat(claim("node-a", T0).suspect()).as("a new job's claim: a suspect").isFalse();
    }

    @Test
    void a_job_its_node_held_at_its_start_is_claimed_next_as_a_crash_suspect() {
        Job job = inserted();
        claim("node-a", T0);

        store.releaseLeases("node-a", T0.plusSeconds(1), 3, LOST);

        assertThat(store.suspects()).as("suspects").isEqualTo(1);
        JobStore.Claim next = claim("node-b", T0.plusSeconds(2));
        assertThat(next.job().id()).as("the job claimed").isEqualTo(job.id());
        assertThat(next.suspect()).as("a job released at its node's start, claimed by another node: a suspect")
                .isTrue();
    }

    @Test
    void a_job_whose_lease_ran_out_is_claimed_next_as_a_crash_suspect() {
        Job job = inserted();
        claim("a-dead-node", T0);

        assertThat(store.reapExpired(EXPIRED, 3, LOST, true, List.of())).extracting(Job::status)
                .as("taken back").containsExactly(JobStatus.QUEUED);

        JobStore.Claim next = claim("node-b", EXPIRED);
        assertThat(next.job().id()).as("the job claimed").isEqualTo(job.id());
        assertThat(next.suspect()).as("a job whose lease ran out, claimed by another node: a suspect").isTrue();
    }

    @Test
    void a_job_the_reaping_node_still_runs_is_taken_back_as_no_crash_suspect() {
        Job stillRunning = inserted();
        Job orphan = inserted();
        claim("reaper", T0);
        claim("a-dead-node", T0);

        assertThat(store.reapExpired(EXPIRED, 3, LOST, true, List.of(stillRunning.id()))).extracting(Job::id)
                .as("taken back").containsExactlyInAnyOrder(stillRunning.id(), orphan.id());

        assertThat(store.suspects()).as("suspects").isEqualTo(1);
        assertThat(claim("node-b", EXPIRED)).as("claimed first: the job the reaping node's worker is at")
                .satisfies(c -> assertThat(c.job().id()).isEqualTo(stillRunning.id()))
                .satisfies(c -> assertThat(c.suspect()).as("a suspect").isFalse());
        assertThat(claim("node-b", EXPIRED)).as("claimed next: the dead node's job")
                .satisfies(c -> assertThat(c.job().id()).isEqualTo(orphan.id()))
                .satisfies(c -> assertThat(c.suspect()).as("a suspect").isTrue());
    }

    @Test
    void jobs_taken_back_by_a_reap_told_of_no_death_are_no_crash_suspects() {
        inserted();
        claim("node-a", T0);

        store.reapExpired(EXPIRED, 3, LOST, false, List.of());

        assertThat(store.suspects()).as("suspects").isZero();
        assertThat(claim("node-b", EXPIRED).suspect()).as("taken back while no lease could be renewed: a suspect")
                .isFalse();
    }

    @Test
    void a_job_taken_back_by_a_reap_told_of_no_death_gets_its_attempt_back_and_is_never_failed_for_it() {
        Job job = inserted();
        claim("node-a", T0);

        List<Job> reaped = store.reapExpired(EXPIRED, 1, LOST, false, List.of());

        assertThat(reaped).as("taken back, its only attempt given back").singleElement()
                .satisfies(j -> assertThat(j.id()).isEqualTo(job.id()))
                .satisfies(j -> assertThat(j.status()).isEqualTo(JobStatus.QUEUED))
                .satisfies(j -> assertThat(j.attempts()).as("attempts").isZero());
    }

    @Test
    void a_suspect_taken_back_again_by_a_reap_told_of_no_death_keeps_its_mark() {
        Job job = suspectClaimedByNodeB(T0);

        store.reapExpired(EXPIRED, 3, LOST, false, List.of(job.id()));

        assertThat(claim("node-c", EXPIRED).suspect()).as("the suspect, taken back again: a suspect").isTrue();
    }

    @Test
    void a_suspect_retried_for_a_failure_of_its_own_is_still_one() {
        Job job = suspectClaimedByNodeB(T0);

        store.retry(job.id(), "node-b", new JobError(ErrorCode.IO_ERROR, "a read failed"), T0,
                Duration.ZERO);

        assertThat(claim("node-b", T0.plusSeconds(1)).suspect()).as("the suspect, after its retry: a suspect")
                .isTrue();
    }

    @Test
    void a_suspect_being_made_is_counted_until_it_is_done() {
        Job job = suspectClaimedByNodeB(T0.plusSeconds(1));

        assertThat(store.suspects()).as("suspects while node-b makes it").isEqualTo(1);
        store.complete(job.id(), "node-b", new JobResult(ImageFormat.JPEG, 100, 75, 999, StoreFixtures.sha("t")),
                T0.plusSeconds(2));
        assertThat(store.suspects()).as("suspects once it is done (its row keeps the mark)").isZero();
    }

    @Test
    void a_suspect_whose_last_attempt_failed_is_counted_no_more() {
        inserted();
        claim("node-a", T0);

        store.releaseLeases("node-a", T0, 1, LOST);

        assertThat(store.suspects()).as("suspects once its last attempt failed").isZero();
    }

    @Test
    void the_renditions_of_a_suspect_claimed_with_it_are_suspects_too() {
        UUID batch = UUID.randomUUID();
        List<Job> renditions = new ArrayList<>();
        for (int width : new int[] {100, 400}) {
            renditions.add(queued(T0).toBuilder().batchId(batch).source(source("one image"))
                    .spec(ThumbnailSpec.width(width)).build());
        }
        store.insert(new JobStore.NewBatch(batch, 2, T0, null), renditions, ROOMY);
        Job first = claim("node-a", T0).job();
        assertThat(store.claimSiblings(first, "node-a", T0, LEASE, 9)).as("renditions claimed with it").hasSize(1);
        store.releaseLeases("node-a", T0, 3, LOST);

        JobStore.Claim next = claim("node-b", T0);
        List<JobStore.Claim> siblings = store.claimSiblings(next.job(), "node-b", T0, LEASE, 9);

        assertThat(next.suspect()).as("the first rendition claimed: a suspect").isTrue();
        assertThat(siblings).extracting(JobStore.Claim::suspect).as("the renditions claimed with it: suspects")
                .containsExactly(true);
    }
}
