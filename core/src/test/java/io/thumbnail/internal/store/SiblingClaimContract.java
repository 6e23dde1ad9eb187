package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Priority;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static io.thumbnail.internal.store.StoreFixtures.queued;
import static io.thumbnail.internal.store.StoreFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link JobStore} must do for {@link JobStore#claimSiblings}: the renditions of one image claimed together
 * with the first, each once. A store for another database extends this class too.
 */
public abstract class SiblingClaimContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration AGING = Duration.ofMinutes(5);
    private static final JobError LOST = new JobError(ErrorCode.TIMEOUT, "lease ran out");
    private static final JobStore.QueueLimits ROOMY = new JobStore.QueueLimits(10_000, 10_000);

    private final List<Job> changes = new ArrayList<>();
    private JobStore store;

    /** A new, empty store that reports committed changes to {@code changes}. */
    protected abstract JobStore openStore(Consumer<Job> changes);

    @BeforeEach
    void open() {
        store = openStore(changes::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A batch of one job per spec, all of {@code source}, in order; returns the jobs as inserted. */
    private List<Job> renditions(JobSource source, int... widths) {
        UUID batch = UUID.randomUUID();
        List<Job> jobs = new ArrayList<>();
        for (int width : widths) {
            jobs.add(queued(T0).toBuilder().batchId(batch).source(source).spec(ThumbnailSpec.width(width)).build());
        }
        store.insert(new JobStore.NewBatch(batch, jobs.size(), T0, null), jobs, ROOMY);
        return jobs;
    }

    /** The job {@code nodeId} claims next, as a worker claims it. */
    private Job claim(String nodeId) {
        return store.claimNext(nodeId, T0, LEASE, AGING).orElseThrow().job();
    }

    private static List<UUID> ids(List<JobStore.Claim> claims) {
        return claims.stream().map(c -> c.job().id()).toList();
    }

    @Test
    void the_renditions_of_the_claimed_image_are_claimed_with_it_in_submission_order() {
        List<Job> jobs = renditions(source("one image"), 100, 400, 1200);

        Job first = claim("a");
        List<JobStore.Claim> siblings = store.claimSiblings(first, "a", T0, LEASE, 9);

        assertThat(first.id()).as("the first claimed").isEqualTo(jobs.get(0).id());
        assertThat(ids(siblings)).as("the others, in order").containsExactly(jobs.get(1).id(), jobs.get(2).id());
        assertThat(siblings).extracting(c -> c.job().status()).as("status").containsOnly(JobStatus.PROCESSING);
        assertThat(siblings).extracting(c -> c.job().attempts()).as("attempts").containsOnly(1);
        assertThat(store.claimNext("b", T0, LEASE, AGING)).as("nothing left for another worker").isEmpty();
    }

    @Test
    void jobs_of_another_image_or_another_batch_are_not_siblings() {
        UUID batch = UUID.randomUUID();
        Job a = queued(T0).toBuilder().batchId(batch).source(source("a")).build();
        Job b = queued(T0).toBuilder().batchId(batch).source(source("b")).build();
        store.insert(new JobStore.NewBatch(batch, 2, T0, null), List.of(a, b), ROOMY);
        Job sameImageElsewhere = renditions(source("a"), 300).get(0);

        Job first = claim("a");

        assertThat(store.claimSiblings(first, "a", T0, LEASE, 9)).as("siblings of a").isEmpty();
        assertThat(store.get(b.id()).orElseThrow().status()).as("b").isEqualTo(JobStatus.QUEUED);
        assertThat(store.get(sameImageElsewhere.id()).orElseThrow().status()).as("a in another batch")
                .isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void a_job_with_the_claimed_ones_very_spec_is_left_to_dedupe() {
        List<Job> jobs = renditions(source("twice"), 100, 100, 400);

        Job first = claim("a");

        assertThat(ids(store.claimSiblings(first, "a", T0, LEASE, 9))).as("siblings of the first 100 wide")
                .containsExactly(jobs.get(2).id());
    }

    @Test
    void a_job_without_a_batch_has_no_siblings() {
        Job alone = queued(T0);
        store.insert(null, List.of(alone, queued(T0).toBuilder().source(alone.source()).build()), ROOMY);

        Job first = claim("a");

        assertThat(store.claimSiblings(first, "a", T0, LEASE, 9)).isEmpty();
    }

    @Test
    void at_most_limit_siblings_are_claimed_and_none_waiting_for_a_retry() {
        List<Job> jobs = renditions(source("many"), 10, 20, 30, 40);
        Job first = claim("a");
        Job second = store.claimSiblings(first, "a", T0, LEASE, 1).get(0).job();
        store.retry(second.id(), "a", new JobError(ErrorCode.IO_ERROR, "again"), T0,
                Duration.ofMinutes(1));

        List<JobStore.Claim> rest = store.claimSiblings(first, "a", T0, LEASE, 9);

        assertThat(second.id()).as("the one sibling a limit of 1 gave").isEqualTo(jobs.get(1).id());
        assertThat(ids(rest)).as("the rest, without the one waiting for its retry")
                .containsExactly(jobs.get(2).id(), jobs.get(3).id());
    }

    @Test
    void url_jobs_not_fetched_yet_are_siblings_by_their_url() {
        JobSource url = new JobSource("https://images.example.com/a.jpg", 0, null, null, null, null,
                URI.create("https://images.example.com/a.jpg"));
        JobSource other = new JobSource("https://images.example.com/b.jpg", 0, null, null, null, null,
                URI.create("https://images.example.com/b.jpg"));
        UUID batch = UUID.randomUUID();
        List<Job> jobs = List.of(
                queued(T0).toBuilder().batchId(batch).source(url).spec(ThumbnailSpec.width(100)).build(),
                queued(T0).toBuilder().batchId(batch).source(other).spec(ThumbnailSpec.width(100)).build(),
                queued(T0).toBuilder().batchId(batch).source(url).spec(ThumbnailSpec.width(400)).build());
        store.insert(new JobStore.NewBatch(batch, 3, T0, null), jobs, ROOMY);

        Job first = claim("a");

        assertThat(ids(store.claimSiblings(first, "a", T0, LEASE, 9))).as("the same URL's other rendition")
                .containsExactly(jobs.get(2).id());
    }

    @Test
    void claimed_siblings_are_reported_as_changes() {
        renditions(source("reported"), 100, 200);
        Job first = claim("a");
        changes.clear();

        List<JobStore.Claim> siblings = store.claimSiblings(first, "a", T0, LEASE, 9);

        assertThat(changes).extracting(Job::id).as("changes reported").containsExactlyElementsOf(ids(siblings));
    }

    @Test
    void renditions_of_another_priority_are_claimed_with_the_first_as_they_share_its_decode() {
        UUID batch = UUID.randomUUID();
        Job high = queued(T0, Priority.HIGH).toBuilder().batchId(batch).source(source("mixed"))
                .spec(ThumbnailSpec.width(100)).build();
        Job low = queued(T0, Priority.LOW).toBuilder().batchId(batch).source(source("mixed"))
                .spec(ThumbnailSpec.width(400)).build();
        store.insert(new JobStore.NewBatch(batch, 2, T0, null), List.of(high, low), ROOMY);

        Job first = claim("a");

        assertThat(first.id()).as("the high one first").isEqualTo(high.id());
        assertThat(ids(store.claimSiblings(first, "a", T0, LEASE, 9))).as("the low one with it")
                .containsExactly(low.id());
    }

    @Test
    void a_sibling_another_worker_claimed_is_not_claimed_again() {
        List<Job> jobs = renditions(source("shared"), 100, 400, 1200);
        Job first = claim("a");
        Job taken = claim("b");

        List<JobStore.Claim> siblings = store.claimSiblings(first, "a", T0, LEASE, 9);

        assertThat(taken.id()).as("what b claimed").isEqualTo(jobs.get(1).id());
        assertThat(ids(siblings)).as("a's siblings, without b's").containsExactly(jobs.get(2).id());
        assertThat(store.get(taken.id()).orElseThrow().node()).as("b still holds its job").isEqualTo("b");
    }

    @Test
    void claimed_siblings_are_leased_to_the_claimer_and_taken_back_when_the_lease_runs_out() {
        renditions(source("leased"), 100, 400);
        Job first = claim("a");
        Job sibling = store.claimSiblings(first, "a", T0, LEASE, 9).get(0).job();

        List<Job> reapedEarly = store.reapExpired(T0.plus(LEASE).minusSeconds(1), 3, LOST, true, List.of());
        List<Job> reaped = store.reapExpired(T0.plus(LEASE).plusSeconds(1), 3, LOST, true, List.of());

        assertThat(sibling.node()).as("held by").isEqualTo("a");
        assertThat(reapedEarly).as("reaped within the lease").isEmpty();
        assertThat(reaped).extracting(Job::id).as("reaped after the lease").contains(sibling.id());
        assertThat(store.get(sibling.id()).orElseThrow().status()).as("queued again").isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void a_sibling_whose_thumbnail_exists_is_claimed_with_its_done_twin_noted() {
        JobSource image = source("made before");
        renditions(image, 400);
        store.complete(claim("a").id(), "a", new JobResult(ImageFormat.JPEG, 400, 300, 999, StoreFixtures.sha("t")),
                T0);
        List<Job> jobs = renditions(image, 100, 400);

        Job first = claim("a");
        List<JobStore.Claim> siblings = store.claimSiblings(first, "a", T0, LEASE, 9);

        assertThat(first.id()).as("the 100 wide, first").isEqualTo(jobs.get(0).id());
        assertThat(ids(siblings)).as("the 400 wide with it").containsExactly(jobs.get(1).id());
        assertThat(siblings.get(0).doneTwin()).as("the 400 wide exists already").isTrue();
    }
}
