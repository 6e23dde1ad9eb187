package io.thumbnail.internal.publish;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.MutableClock;
import io.thumbnail.Publication;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.SqliteJobStore;
import io.thumbnail.internal.store.StoreFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The publications one node holds, on a real SQLite store, by the test's clock. */
class HeldPublicationsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private JobStore store;
    private HeldPublications held;

    @BeforeEach
    void open() {
        store = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { });
        held = new HeldPublications(store.publications(), clock,
                new PublishingLease("node-1", LEASE, Duration.ofSeconds(10)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A job whose thumbnail is done and whose publication to the gallery is pending. */
    private UUID donePendingPublication() {
        Job job = StoreFixtures.queued(T0).toBuilder().publication(Publication.pending("gallery")).build();
        store.insert(null, List.of(job), new JobStore.QueueLimits(10, 10));
        store.claimNext("worker", T0, LEASE, Duration.ofMinutes(5)).orElseThrow();
        store.complete(job.id(), "worker", new JobResult(ImageFormat.PNG, 2, 2, 4, StoreFixtures.sha("t")), T0)
                .orElseThrow();
        return job.id();
    }

    @Test
    void a_publication_left_to_its_lease_is_not_claimed_again_by_this_node_until_that_has_run_out() {
        UUID id = donePendingPublication();
        held.claim(id);
        held.leaveToRunOut(id);

        boolean claimedWhileLasting = held.claim(id);
        List<UUID> claimableWhileLasting = held.claimable();
        clock.advance(LEASE);

        assertThat(claimedWhileLasting).as("claimed again while its lease may last").isFalse();
        assertThat(claimableWhileLasting).as("claimable while its lease may last").isEmpty();
        assertThat(held.claimable()).as("claimable once it has run out").containsExactly(id);
        assertThat(held.claim(id)).as("claimed again once it has run out").isTrue();
    }

    @Test
    void a_lease_left_to_run_out_is_forgotten_once_it_has_run_out_even_if_its_publication_is_gone() {
        UUID id = donePendingPublication();
        held.claim(id);
        held.leaveToRunOut(id);
        store.delete(id);
        int whileLasting = held.leftToRunOut();
        clock.advance(LEASE);

        held.claimable();

        assertThat(whileLasting).as("leases remembered while one may last").isEqualTo(1);
        assertThat(held.leftToRunOut()).as("leases remembered once it has run out").isZero();
    }

    @Test
    void no_lease_is_let_go_while_one_left_to_run_out_may_last() {
        UUID unrecorded = donePendingPublication();
        UUID cutShort = donePendingPublication();
        held.claim(unrecorded);
        held.claim(cutShort);
        held.leaveToRunOut(unrecorded);
        held.letGo(cutShort);

        int releasedWhileLasting = held.releaseAll();
        clock.advance(LEASE);
        int releasedOnceRunOut = held.releaseAll();

        assertThat(releasedWhileLasting).as("leases let go while the one left to its lease may last").isZero();
        assertThat(releasedOnceRunOut).as("leases let go once it has run out").isEqualTo(2);
    }
}
