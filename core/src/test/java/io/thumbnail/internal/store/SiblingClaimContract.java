package io.thumbnail.internal.store;

import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
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

    private static List<UUID> ids(List<JobStore.Claim> claims) {
        return claims.stream().map(c -> c.job().id()).toList();
    }

    @Test
    void the_renditions_of_the_claimed_image_are_claimed_with_it_in_submission_order() {
        List<Job> jobs = renditions(source("one image"), 100, 400, 1200);

        Job first = store.claimNext("a", T0, LEASE, AGING).orElseThrow().job();
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

        Job first = store.claimNext("a", T0, LEASE, AGING).orElseThrow().job();

        assertThat(store.claimSiblings(first, "a", T0, LEASE, 9)).as("siblings of a").isEmpty();
        assertThat(store.get(b.id()).orElseThrow().status()).as("b").isEqualTo(JobStatus.QUEUED);
        assertThat(store.get(sameImageElsewhere.id()).orElseThrow().status()).as("a in another batch")
                .isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void a_job_with_the_claimed_ones_very_spec_is_left_to_dedupe() {
        List<Job> jobs = renditions(source("twice"), 100, 100, 400);

        Job first = store.claimNext("a", T0, LEASE, AGING).orElseThrow().job();

        assertThat(ids(store.claimSiblings(first, "a", T0, LEASE, 9))).as("siblings of the first 100 wide")
                .containsExactly(jobs.get(2).id());
    }

    @Test
    void a_job_without_a_batch_has_no_siblings() {
        Job alone = queued(T0);
        store.insert(null, List.of(alone, queued(T0).toBuilder().source(alone.source()).build()), ROOMY);

        Job first = store.claimNext("a", T0, LEASE, AGING).orElseThrow().job();

        assertThat(store.claimSiblings(first, "a", T0, LEASE, 9)).isEmpty();
    }

    @Test
    void at_most_limit_siblings_are_claimed_and_none_waiting_for_a_retry() {
        List<Job> jobs = renditions(source("many"), 10, 20, 30, 40);
        Job first = store.claimNext("a", T0, LEASE, AGING).orElseThrow().job();
        Job second = store.claimSiblings(first, "a", T0, LEASE, 1).get(0).job();
        store.retry(second.id(), "a", new io.thumbnail.JobError(io.thumbnail.ErrorCode.IO_ERROR, "again"), T0,
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

        Job first = store.claimNext("a", T0, LEASE, AGING).orElseThrow().job();

        assertThat(ids(store.claimSiblings(first, "a", T0, LEASE, 9))).as("the same URL's other rendition")
                .containsExactly(jobs.get(2).id());
    }

    @Test
    void claimed_siblings_are_reported_as_changes() {
        renditions(source("reported"), 100, 200);
        Job first = store.claimNext("a", T0, LEASE, AGING).orElseThrow().job();
        changes.clear();

        List<JobStore.Claim> siblings = store.claimSiblings(first, "a", T0, LEASE, 9);

        assertThat(changes).extracting(Job::id).as("changes reported").containsExactlyElementsOf(ids(siblings));
    }
}
