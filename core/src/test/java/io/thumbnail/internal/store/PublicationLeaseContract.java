package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.Publication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static io.thumbnail.internal.store.StoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link JobStore} must do with the leases on publications: one claim of a pending publication succeeds and
 * no other node's until the lease runs out or is renewed, the holder may claim it again at once, recording the outcome
 * lets the lease go, and the look for pending publications leaves out those another node holds. The tests give every
 * time, so a store shared by several nodes runs them measuring leases from the {@code now} it is given.
 */
public abstract class PublicationLeaseContract {
    protected static final Duration LEASE = Duration.ofSeconds(30);
    private static final JobStore.QueueLimits ROOMY = new JobStore.QueueLimits(10_000, 10_000);
    private static final JobResult RESULT = new JobResult(ImageFormat.PNG, 1, 1, 1, StoreFixtures.sha("thumbnail"));

    protected JobStore store;

    /** A new, empty store. */
    protected abstract JobStore openStore();

    /** The node id the row of job {@code id} says holds its publication's lease, or null; read past the store. */
    protected abstract String leaseHolder(UUID id) throws Exception;

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A job asking to be published to Imgur, queued. */
    private Job toPublish() {
        Job job = queued(T0).toBuilder().publication(Publication.pending(Publication.IMGUR)).build();
        store.insert(null, List.of(job), ROOMY);
        return job;
    }

    /** A job asking to be published to Imgur, done: its publication pending. */
    protected UUID pending() {
        Job job = toPublish();
        store.claimNext("worker", T0, LEASE, Duration.ofMinutes(5)).orElseThrow();
        store.complete(job.id(), "worker", RESULT, T0).orElseThrow();
        return job.id();
    }

    protected boolean claim(UUID id, String node, Instant now) {
        return store.publications().claim(id, node, now, LEASE);
    }

    @Test
    void of_two_nodes_claiming_one_pending_publication_only_the_first_gets_it() {
        UUID id = pending();

        assertThat(claim(id, "a", T0)).as("a's claim").isTrue();
        assertThat(claim(id, "b", T0)).as("b's claim at the same moment").isFalse();
    }

    @Test
    void a_lease_another_node_holds_is_not_taken_before_it_runs_out() {
        UUID id = pending();
        claim(id, "a", T0);

        assertThat(claim(id, "b", T0.plus(LEASE).minusMillis(1))).as("b's claim a millisecond before a's lease ends")
                .isFalse();
        assertThat(store.publications().claimable("b", T0.plus(LEASE).minusMillis(1)))
                .as("pending publications b may claim while a's lease lasts").doesNotContain(id);
    }

    @Test
    void a_lease_that_ran_out_is_taken_over_by_another_node() throws Exception {
        UUID id = pending();
        claim(id, "a", T0);

        assertThat(store.publications().claimable("b", T0.plus(LEASE))).as("claimable by b once a's lease ended")
                .containsExactly(id);
        assertThat(claim(id, "b", T0.plus(LEASE))).as("b's claim once a's lease ended").isTrue();
        assertThat(leaseHolder(id)).as("the lease's holder").isEqualTo("b");
        assertThat(store.publications().extend("a", List.of(id), T0.plus(LEASE), LEASE))
                .as("leases a renews after losing it").isZero();
    }

    @Test
    void the_node_holding_a_lease_may_claim_it_again_at_once() {
        UUID id = pending();
        claim(id, "restarted", T0);

        assertThat(store.publications().claimable("restarted", T0.plusSeconds(1)))
                .as("claimable by the node holding it").containsExactly(id);
        assertThat(claim(id, "restarted", T0.plusSeconds(1))).as("the same node id's second claim").isTrue();
        assertThat(claim(id, "other", T0.plus(LEASE))).as("another node's claim within the renewed lease")
                .isFalse();
    }

    @Test
    void a_renewed_lease_lasts_a_lease_from_its_renewal() {
        UUID id = pending();
        claim(id, "a", T0);
        Instant renewed = T0.plus(LEASE).minusSeconds(1);

        assertThat(store.publications().extend("a", List.of(id), renewed, LEASE)).as("leases renewed").isEqualTo(1);

        assertThat(claim(id, "b", T0.plus(LEASE))).as("b's claim when the first lease would have ended").isFalse();
        assertThat(claim(id, "b", renewed.plus(LEASE))).as("b's claim when the renewed lease ended").isTrue();
    }

    @Test
    void recording_the_outcome_lets_the_lease_go_and_ends_the_claims() throws Exception {
        UUID id = pending();
        claim(id, "a", T0);
        assertThat(leaseHolder(id)).as("the lease's holder before the outcome").isEqualTo("a");

        store.recordPublication(id, "a", Publication.published(Publication.IMGUR, "https://i.imgur.com/a.png", "h"));

        assertThat(leaseHolder(id)).as("the lease's holder after the outcome").isNull();
        assertThat(claim(id, "a", T0)).as("a claim of a published one, by its holder").isFalse();
        assertThat(claim(id, "b", T0.plus(LEASE))).as("a claim of a published one, by another node").isFalse();
        assertThat(store.publications().extend("a", List.of(id), T0, LEASE)).as("leases renewed").isZero();
    }

    @Test
    void a_node_whose_lease_was_taken_over_records_no_outcome() throws Exception {
        UUID id = pending();
        claim(id, "a", T0);
        claim(id, "b", T0.plus(LEASE));

        assertThat(store.recordPublication(id, "a", Publication.published(Publication.IMGUR,
                "https://i.imgur.com/late.png", "h"))).as("a's outcome after b took its lease over").isEmpty();

        assertThat(leaseHolder(id)).as("the lease's holder").isEqualTo("b");
        assertThat(store.get(id).orElseThrow().publication()).as("the publication")
                .isEqualTo(Publication.pending(Publication.IMGUR));
        assertThat(store.recordPublication(id, "b", Publication.published(Publication.IMGUR,
                "https://i.imgur.com/b.png", "h"))).as("b's outcome").isPresent();
    }

    @Test
    void the_first_outcome_recorded_stays() {
        UUID id = pending();
        claim(id, "a", T0);
        Publication first = Publication.published(Publication.IMGUR, "https://i.imgur.com/a.png", "h");
        store.recordPublication(id, "a", first);

        assertThat(store.recordPublication(id, "b", Publication.failed(Publication.IMGUR,
                new JobError(ErrorCode.PUBLISH_FAILED, "late")))).as("a second outcome").isEmpty();

        assertThat(store.get(id).orElseThrow().publication()).as("the publication").isEqualTo(first);
    }

    @Test
    void only_done_jobs_with_a_pending_publication_are_claimable() {
        UUID pending = pending();
        UUID failed = pending();
        store.recordPublication(failed, "a", Publication.failed(Publication.IMGUR,
                new JobError(ErrorCode.PUBLISH_FAILED, "no")));
        Job queued = toPublish();

        assertThat(store.publications().claimable("a", T0)).as("claimable").containsExactly(pending);
        assertThat(claim(queued.id(), "a", T0)).as("a claim of a queued job's publication").isFalse();
        assertThat(claim(failed, "a", T0)).as("a claim of a failed publication").isFalse();
    }

    @Test
    void releasing_at_start_lets_go_of_the_leases_of_the_nodes_earlier_life() throws Exception {
        UUID id = pending();
        claim(id, "restarting", T0);

        assertThat(store.publications().release("restarting")).as("leases let go").isEqualTo(1);

        assertThat(leaseHolder(id)).as("the lease's holder").isNull();
        assertThat(claim(id, "other", T0.plusSeconds(1))).as("another node's claim at once").isTrue();
    }
}
