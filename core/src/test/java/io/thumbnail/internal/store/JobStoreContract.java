package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.Priority;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static io.thumbnail.internal.store.StoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link JobStore} must do, whatever its database. A store for another database (PostgreSQL, for several
 * nodes) extends this class and supplies {@link #openStore}; the tests give every time explicitly, so such a store
 * runs them measuring leases from the {@code now} it is given rather than by its database's clock.
 */
public abstract class JobStoreContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration AGING = Duration.ofMinutes(5);
    private static final JobError LOST = new JobError(ErrorCode.INTERNAL, "lost too often");
    private static final int ROOMY = 10_000;

    private final List<Job> changes = Collections.synchronizedList(new ArrayList<>());
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

    private Job insert(Job job) {
        store.insert(null, List.of(job), limits(ROOMY));
        return job;
    }

    private static JobStore.QueueLimits limits(int capacity) {
        return new JobStore.QueueLimits(capacity, capacity);
    }

    private Optional<Job> claim(String nodeId, Instant now) {
        return store.claimNext(nodeId, now, LEASE, AGING).map(JobStore.Claim::job);
    }

    @Test
    void claim_takes_the_oldest_queued_job_first() {
        Job older = insert(queued(T0));
        Job newer = insert(queued(T0.plusSeconds(1)));

        assertThat(claim("a", T0.plusSeconds(2))).map(Job::id).as("first claim").contains(older.id());
        assertThat(claim("a", T0.plusSeconds(2))).map(Job::id).as("second claim").contains(newer.id());
    }

    @Test
    void claim_serves_every_high_job_before_any_normal_one_and_every_normal_before_any_low() {
        Job low = insert(queued(T0, Priority.LOW));
        Job normal = insert(queued(T0.plusSeconds(1), Priority.NORMAL));
        Job high = insert(queued(T0.plusSeconds(2), Priority.HIGH));

        List<UUID> order = IntStream.range(0, 3).mapToObj(i -> claim("a", T0.plusSeconds(3)).orElseThrow().id()).toList();

        assertThat(order).as("claim order of a low, a normal and a high job queued in that order")
                .containsExactly(high.id(), normal.id(), low.id());
    }

    @Test
    void claim_keeps_first_come_first_served_within_a_priority() {
        Job first = insert(queued(T0, Priority.HIGH));
        Job second = insert(queued(T0.plusSeconds(1), Priority.HIGH));

        assertThat(claim("a", T0.plusSeconds(2))).map(Job::id).as("first claim").contains(first.id());
        assertThat(claim("a", T0.plusSeconds(2))).map(Job::id).as("second claim").contains(second.id());
    }

    @Test
    void a_low_job_queued_for_the_aging_time_is_served_as_normal() {
        Job low = insert(queued(T0, Priority.LOW));
        Job normal = insert(queued(T0.plusSeconds(1), Priority.NORMAL));

        assertThat(claim("a", T0.plus(AGING))).map(Job::id).as("claim once the low job has waited the aging time")
                .contains(low.id());
        assertThat(claim("a", T0.plus(AGING))).map(Job::id).as("then the normal one").contains(normal.id());
    }

    @Test
    void a_low_job_younger_than_the_aging_time_waits_behind_normal_ones() {
        Job low = insert(queued(T0, Priority.LOW));
        Job normal = insert(queued(T0.plusSeconds(1), Priority.NORMAL));

        assertThat(claim("a", T0.plus(AGING).minusMillis(1))).map(Job::id).as("claim just before the aging time")
                .contains(normal.id());
        assertThat(claim("a", T0.plus(AGING).minusMillis(1))).map(Job::id).contains(low.id());
    }

    @Test
    void an_aged_low_job_still_waits_behind_high_ones() {
        insert(queued(T0, Priority.LOW));
        Job high = insert(queued(T0.plusSeconds(1), Priority.HIGH));

        assertThat(claim("a", T0.plus(AGING).plusSeconds(1))).map(Job::id).as("claim after the low job aged")
                .contains(high.id());
    }

    @Test
    void a_job_keeps_its_priority_in_the_store() {
        Job low = insert(queued(T0, Priority.LOW));

        assertThat(store.get(low.id())).map(Job::priority).as("priority read back").contains(Priority.LOW);
    }

    @Test
    void claim_skips_jobs_already_running() {
        Job first = insert(queued(T0));
        Job second = insert(queued(T0));

        Job claimedByA = claim("a", T0).orElseThrow();
        Job claimedByB = claim("b", T0).orElseThrow();

        assertThat(claimedByA.id()).isEqualTo(first.id());
        assertThat(claimedByB.id()).as("b must not get a's running job").isEqualTo(second.id());
        assertThat(claim("c", T0)).as("nothing left to claim").isEmpty();
    }

    @Test
    void claim_marks_the_job_processing_and_counts_the_attempt() {
        insert(queued(T0));

        Job claimed = claim("a", T0.plusSeconds(5)).orElseThrow();

        assertThat(claimed.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(claimed.attempts()).as("attempts").isEqualTo(1);
        assertThat(claimed.startedAt()).as("startedAt").isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void concurrent_claims_hand_each_job_to_exactly_one_worker() throws Exception {
        int jobs = 200;
        store.insert(null, IntStream.range(0, jobs).mapToObj(i -> queued(T0)).toList(), limits(ROOMY));
        Set<UUID> claimed = ConcurrentHashMap.newKeySet();
        List<UUID> duplicates = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String nodeId = "worker-" + t;
            futures.add(pool.submit(() -> {
                start.await();
                Optional<Job> job;
                while ((job = claim(nodeId, T0)).isPresent()) {
                    if (!claimed.add(job.get().id())) {
                        duplicates.add(job.get().id());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(duplicates).as("jobs claimed twice").isEmpty();
        assertThat(claimed).as("jobs claimed").hasSize(jobs);
    }

    @Test
    void claim_tells_whether_a_done_job_has_the_same_source_and_spec() {
        Job first = insert(queued(T0));
        Job twin = insert(StoreFixtures.twinOf(first, first.spec(), null));
        Job otherSpec = insert(StoreFixtures.twinOf(first, ThumbnailSpec.box(50, 50), null));

        JobStore.Claim claimedFirst = store.claimNext("a", T0, LEASE, AGING).orElseThrow();
        store.complete(first.id(), "a", new JobResult(ImageFormat.JPEG, 100, 75, 999, StoreFixtures.sha("t")), T0);
        JobStore.Claim claimedTwin = store.claimNext("a", T0, LEASE, AGING).orElseThrow();
        JobStore.Claim claimedOther = store.claimNext("a", T0, LEASE, AGING).orElseThrow();

        assertThat(claimedFirst.doneTwin()).as("no job was done when the first was claimed").isFalse();
        assertThat(claimedTwin.job().id()).isEqualTo(twin.id());
        assertThat(claimedTwin.doneTwin()).as("same source and spec as the done first job").isTrue();
        assertThat(claimedOther.job().id()).isEqualTo(otherSpec.id());
        assertThat(claimedOther.doneTwin()).as("same source but another spec").isFalse();
    }

    @Test
    void dedupe_sees_only_done_jobs_of_the_same_owner() {
        Job alices = insert(queued(T0, "alice"));
        Job bobsTwin = insert(StoreFixtures.twinOf(alices, alices.spec(), "bob"));
        store.claimNext("a", T0, LEASE, AGING).orElseThrow();
        store.complete(alices.id(), "a", new JobResult(ImageFormat.JPEG, 100, 75, 999, StoreFixtures.sha("t")), T0);

        JobStore.Claim claimedBobs = store.claimNext("a", T0, LEASE, AGING).orElseThrow();

        assertThat(claimedBobs.job().id()).isEqualTo(bobsTwin.id());
        assertThat(claimedBobs.doneTwin()).as("a done twin of another owner").isFalse();
        assertThat(store.findDone(alices.source().sha256(), alices.spec(), "bob")).as("bob looking for alice's")
                .isEmpty();
        assertThat(store.findDone(alices.source().sha256(), alices.spec(), null)).as("no owner looking for alice's")
                .isEmpty();
        assertThat(store.findDone(alices.source().sha256(), alices.spec(), "alice")).as("alice looking for hers")
                .map(Job::id).contains(alices.id());
    }

    @Test
    void claim_waits_for_the_retry_time() {
        insert(queued(T0));
        Job claimed = claim("a", T0).orElseThrow();
        store.retry(claimed.id(), "a", new JobError(ErrorCode.IO_ERROR, "disk hiccup"), T0, Duration.ofSeconds(10));

        assertThat(claim("a", T0.plusSeconds(9))).as("claim before the retry time").isEmpty();
        assertThat(claim("a", T0.plusSeconds(10))).as("claim at the retry time").map(Job::attempts).contains(2);
    }

    @Test
    void a_retry_for_a_store_failure_gives_back_the_attempt_it_ends() {
        insert(queued(T0));
        Job claimed = claim("a", T0).orElseThrow();

        Job requeued = store.retry(claimed.id(), "a", new JobError(ErrorCode.IO_ERROR, "disk full"), T0,
                Duration.ZERO, false).orElseThrow();

        assertThat(requeued.attempts()).as("attempts once queued again, uncounted").isZero();
        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(claim("a", T0)).as("claimed again").map(Job::attempts).contains(1);
    }

    @Test
    void jobs_waiting_out_a_storage_failure_may_run_at_once_when_the_stores_work_again() {
        insert(queued(T0));
        insert(queued(T0));
        Job storage = claim("a", T0).orElseThrow();
        Job own = claim("a", T0).orElseThrow();
        store.retry(storage.id(), "a", new JobError(ErrorCode.IO_ERROR, "disk full"), T0, Duration.ofHours(1), false);
        store.retry(own.id(), "a", new JobError(ErrorCode.SOURCE_UNREACHABLE, "no answer"), T0, Duration.ofHours(1));

        assertThat(store.runStorageRetriesNow(T0.plusSeconds(5))).as("jobs let run").isEqualTo(1);

        assertThat(claim("a", T0.plusSeconds(5))).as("claimed at once: the one waiting out the storage failure")
                .map(Job::id).contains(storage.id());
        assertThat(claim("a", T0.plusSeconds(5))).as("the one waiting for a failure of its own: still waiting")
                .isEmpty();
    }

    @Test
    void only_the_node_holding_the_lease_can_finish_a_job() {
        insert(queued(T0));
        Job claimed = claim("a", T0).orElseThrow();
        JobResult result = new JobResult(ImageFormat.JPEG, 100, 75, 999, StoreFixtures.sha("thumb"));

        assertThat(store.complete(claimed.id(), "b", result, T0)).as("complete by a stranger").isEmpty();
        Job done = store.complete(claimed.id(), "a", result, T0.plusSeconds(1)).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.result()).isEqualTo(result);
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void expired_lease_puts_the_job_back_in_the_queue() {
        Job job = insert(queued(T0));
        claim("dead-node", T0);

        assertThat(store.reapExpired(T0.plus(LEASE).minusMillis(1), 3, LOST, true, List.of())).as("reaped before expiry").isEmpty();
        List<Job> reaped = store.reapExpired(T0.plus(LEASE).plusMillis(1), 3, LOST, true, List.of());

        assertThat(reaped).extracting(Job::id).containsExactly(job.id());
        assertThat(reaped.get(0).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(claim("live-node", T0.plus(LEASE).plusMillis(1))).as("claim by another node")
                .map(Job::attempts).contains(2);
    }

    @Test
    void a_job_taken_back_after_its_lease_ran_out_no_longer_shows_the_error_of_an_earlier_attempt() {
        Job job = insert(queued(T0));
        claim("a", T0);
        store.retry(job.id(), "a", new JobError(ErrorCode.IO_ERROR, "a read failed"), T0, Duration.ZERO);
        claim("dead-node", T0);

        List<Job> reaped = store.reapExpired(T0.plus(LEASE).plusMillis(1), 3, LOST, true, List.of());

        assertThat(reaped).extracting(Job::id).containsExactly(job.id());
        assertThat(reaped.get(0).error()).as("error of the job queued again: not the io_error of attempt 1").isNull();
    }

    @Test
    void extended_lease_is_not_reaped() {
        Job job = insert(queued(T0));
        claim("a", T0);

        assertThat(store.extendLeases("a", List.of(job.id()), T0.plus(LEASE), LEASE)).as("leases extended")
                .isEqualTo(1);
        assertThat(store.reapExpired(T0.plus(LEASE).plusSeconds(1), 3, LOST, true, List.of())).as("reaped").isEmpty();
    }

    @Test
    void only_the_leases_named_are_extended_so_a_job_given_up_on_is_reaped() {
        Job running = insert(queued(T0));
        Job givenUp = insert(queued(T0));
        Job othersJob = insert(queued(T0));
        claim("a", T0);
        claim("a", T0);
        claim("b", T0);

        int extended = store.extendLeases("a", List.of(running.id(), othersJob.id()), T0.plus(LEASE), LEASE);

        assertThat(extended).as("leases extended: a's running job, not b's job nor a's given-up one").isEqualTo(1);
        assertThat(store.reapExpired(T0.plus(LEASE).plusSeconds(1), 3, LOST, true, List.of())).extracting(Job::id)
                .as("reaped after the first lease").containsExactlyInAnyOrder(givenUp.id(), othersJob.id());
        assertThat(store.extendLeases("a", List.of(), T0, LEASE)).as("no jobs named").isZero();
    }

    @Test
    void job_whose_node_died_max_attempts_times_fails() {
        Job job = insert(queued(T0));
        Instant now = T0;
        for (int attempt = 1; attempt < 3; attempt++) {
            claim("a", now);
            now = now.plus(LEASE).plusSeconds(1);
            assertThat(store.reapExpired(now, 3, LOST, true, List.of())).extracting(Job::status).containsExactly(JobStatus.QUEUED);
        }
        claim("a", now);
        now = now.plus(LEASE).plusSeconds(1);

        List<Job> reaped = store.reapExpired(now, 3, LOST, true, List.of());

        assertThat(reaped).extracting(Job::status).as("third lost lease").containsExactly(JobStatus.FAILED);
        assertThat(store.get(job.id()).orElseThrow().error()).isEqualTo(LOST);
    }

    @Test
    void list_is_newest_first_and_pages_with_a_cursor() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(insert(queued(T0.plusSeconds(i))));
        }

        Page<Job> first = store.list(JobQuery.all().withLimit(2));
        Page<Job> second = store.list(JobQuery.all().withLimit(2).withCursor(first.next()));
        Page<Job> third = store.list(JobQuery.all().withLimit(2).withCursor(second.next()));

        assertThat(first.items()).extracting(Job::id).containsExactly(jobs.get(4).id(), jobs.get(3).id());
        assertThat(second.items()).extracting(Job::id).containsExactly(jobs.get(2).id(), jobs.get(1).id());
        assertThat(third.items()).extracting(Job::id).containsExactly(jobs.get(0).id());
        assertThat(third.next()).as("cursor after the last page").isNull();
    }

    @Test
    void list_filters_by_status_and_owner() {
        Job alicesFirst = insert(queued(T0, "alice"));
        insert(queued(T0, "bob"));
        Job alicesSecond = insert(queued(T0, "alice"));
        Job alicesQueued = insert(queued(T0, "alice"));
        for (int i = 0; i < 3; i++) {
            claim("n", T0); // the three oldest
        }

        assertThat(store.list(JobQuery.all().withStatus(JobStatus.PROCESSING).withOwner("alice")).items())
                .as("alice's processing jobs").extracting(Job::id)
                .containsExactly(alicesSecond.id(), alicesFirst.id());
        assertThat(store.list(JobQuery.all().withStatus(JobStatus.QUEUED)).items()).as("queued jobs")
                .extracting(Job::id).containsExactly(alicesQueued.id());
    }

    @Test
    void a_cursor_this_store_never_hands_out_is_refused_as_an_invalid_request() {
        for (String cursor : List.of("not-a-cursor", "-1", "0", "99999999999999999999")) {
            assertThatThrownBy(() -> store.list(JobQuery.all().withCursor(cursor))).as("cursor %s", cursor)
                    .isInstanceOfSatisfying(ThumbnailException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                    .hasMessageContaining("cursor '" + cursor + "'");
        }
    }

    @Test
    void insert_beyond_the_queue_capacity_is_refused_and_inserts_nothing() {
        store.insert(null, List.of(queued(T0), queued(T0)), limits(3));

        assertThatThrownBy(() -> store.insert(null, List.of(queued(T0), queued(T0)), limits(3)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.QUEUE_FULL));
        assertThat(store.count(JobStatus.QUEUED)).as("queued after the refused insert").isEqualTo(2);
    }

    @Test
    void an_owner_past_its_share_is_refused_while_others_and_jobs_without_owner_still_fit() {
        JobStore.QueueLimits limits = new JobStore.QueueLimits(5, 2);
        store.insert(null, List.of(queued(T0, "alice"), queued(T0, "alice")), limits);

        assertThatThrownBy(() -> store.insert(null, List.of(queued(T0, "alice")), limits)).as("alice's third")
                .isInstanceOfSatisfying(ThumbnailException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.QUEUE_FULL);
                    assertThat(e.getMessage()).as("message").contains("'alice' may have at most 2 jobs queued", "has 2");
                });
        store.insert(null, List.of(queued(T0, "bob"), queued(T0, "bob")), limits);
        store.insert(null, List.of(queued(T0)), limits);
        assertThat(store.count(JobStatus.QUEUED)).as("queued: alice's 2, bob's 2 and one without owner")
                .isEqualTo(5);
    }

    @Test
    void an_owner_whose_jobs_left_the_queue_has_its_share_back() {
        JobStore.QueueLimits limits = new JobStore.QueueLimits(5, 1);
        store.insert(null, List.of(queued(T0, "alice")), limits);
        claim("a", T0);

        store.insert(null, List.of(queued(T0, "alice")), limits);

        assertThat(store.count(JobStatus.QUEUED)).as("queued after alice's first was claimed").isEqualTo(1);
    }

    @Test
    void every_state_change_is_reported_in_commit_order() {
        Job job = insert(queued(T0));
        Job claimed = claim("a", T0).orElseThrow();
        store.retry(claimed.id(), "a", new JobError(ErrorCode.IO_ERROR, "x"), T0, Duration.ZERO);
        claim("a", T0);
        store.fail(job.id(), "a", new JobError(ErrorCode.CORRUPT_IMAGE, "y"), T0);

        assertThat(changes).extracting(Job::status).containsExactly(JobStatus.QUEUED, JobStatus.PROCESSING,
                JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.FAILED);
    }

    @Test
    void a_starting_node_takes_back_the_jobs_it_held_at_once_whatever_their_lease() {
        Job held = insert(queued(T0));
        Job waiting = insert(queued(T0));
        claim("node-a", T0);

        List<Job> released = store.releaseLeases("node-a", T0.plusSeconds(1), 3, LOST);

        assertThat(released).extracting(Job::id).as("released at once, the lease still running").containsExactly(held.id());
        assertThat(store.get(held.id()).orElseThrow().status()).as("held job").isEqualTo(JobStatus.QUEUED);
        assertThat(store.get(waiting.id()).orElseThrow().status()).as("job never claimed").isEqualTo(JobStatus.QUEUED);
        assertThat(claim("node-a", T0.plusSeconds(1))).as("claimed again").map(Job::attempts).contains(2);
    }

    @Test
    void a_job_released_after_its_last_attempt_fails_with_the_error_given() {
        Job job = insert(queued(T0));
        claim("node-a", T0);

        List<Job> released = store.releaseLeases("node-a", T0.plusSeconds(1), 1, LOST);

        assertThat(released).extracting(Job::status).containsExactly(JobStatus.FAILED);
        assertThat(store.get(job.id()).orElseThrow().error()).isEqualTo(LOST);
    }

    @Test
    void errors_keep_their_code_and_message() {
        Job job = insert(queued(T0));
        claim("a", T0);
        JobError error = new JobError(ErrorCode.TOO_MANY_PIXELS, "the image has 60,000,000 pixels");

        store.fail(job.id(), "a", error, T0);

        assertThat(store.get(job.id()).orElseThrow().error()).isEqualTo(error);
    }

    @Test
    void pending_publications_are_the_done_jobs_whose_publication_has_no_outcome_yet() {
        Job pending = insert(toImgur(queued(T0)));
        Job published = insert(toImgur(queued(T0)));
        Job failed = insert(toImgur(queued(T0)));
        Job notPublished = insert(queued(T0));
        Job stillQueued = insert(toImgur(queued(T0)));
        JobResult result = new JobResult(ImageFormat.PNG, 1, 1, 1, StoreFixtures.sha("thumbnail"));
        for (Job job : List.of(pending, published, failed, notPublished)) {
            claim("a", T0);
            store.complete(job.id(), "a", result, T0);
        }
        store.recordPublication(published.id(), "a", Publication.published("imgur", "https://i.imgur.com/a.png", "h"));
        store.recordPublication(failed.id(), "a", Publication.failed("imgur", new JobError(ErrorCode.PUBLISH_FAILED, "no")));

        assertThat(store.publications().claimable("b", T0)).as("done, publication pending")
                .containsExactly(pending.id());
        assertThat(store.get(stillQueued.id()).orElseThrow().publication()).as("a queued job's publication")
                .isEqualTo(Publication.pending("imgur"));
    }

    private static Job toImgur(Job job) {
        return job.toBuilder().publication(Publication.pending("imgur")).build();
    }

    @Test
    void references_sees_sources_and_results() {
        Job job = insert(queued(T0));
        Job claimed = claim("a", T0).orElseThrow();
        String thumb = StoreFixtures.sha("thumbnail");
        store.complete(claimed.id(), "a", new JobResult(ImageFormat.PNG, 1, 1, 1, thumb), T0);

        assertThat(store.references(job.source().sha256())).as("source referenced").isTrue();
        assertThat(store.references(thumb)).as("result referenced").isTrue();
        store.delete(job.id());
        assertThat(store.references(thumb)).as("result referenced after delete").isFalse();
    }

    @Test
    void delete_finished_before_keeps_recent_and_unfinished_jobs() {
        Job old = insert(queued(T0));
        Job recent = insert(queued(T0));
        Job waiting = insert(queued(T0));
        JobError corrupt = new JobError(ErrorCode.CORRUPT_IMAGE, "x");
        store.fail(claim("a", T0).orElseThrow().id(), "a", corrupt, T0);
        store.fail(claim("a", T0).orElseThrow().id(), "a", corrupt, T0.plusSeconds(100));

        List<Job> deleted = store.deleteFinishedBefore(T0.plusSeconds(50), 10);

        assertThat(deleted).extracting(Job::id).containsExactly(old.id());
        assertThat(store.get(recent.id())).as("recent job").isPresent();
        assertThat(store.get(waiting.id())).as("queued job").isPresent();
    }

    @Test
    void a_secret_is_made_once_and_every_later_call_gets_the_same_bytes() {
        byte[] first = store.secret("service", T0);
        byte[] again = store.secret("service", T0.plusSeconds(60));

        assertThat(first).as("a new secret").hasSize(JobStore.SECRET_BYTES);
        assertThat(again).as("the secret asked for again").isEqualTo(first);
    }

    @Test
    void secrets_of_different_names_are_different_random_bytes() {
        byte[] one = store.secret("one", T0);
        byte[] other = store.secret("other", T0);

        assertThat(one).as("two names' secrets").isNotEqualTo(other);
        assertThat(one).as("a random secret, not zeros").isNotEqualTo(new byte[JobStore.SECRET_BYTES]);
    }

    @Test
    void callers_asking_for_a_new_secret_at_once_all_get_the_same_one() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> asked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    return store.secret("raced", T0);
                }));
            }
            start.countDown();
            byte[] first = asked.get(0).get(10, TimeUnit.SECONDS);
            for (Future<byte[]> answer : asked) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).as("every caller's secret").isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_claimed_job_names_the_node_running_it_until_it_finishes() {
        Job job = insert(queued(T0));

        Job claimed = claim("node-a", T0).orElseThrow();

        assertThat(claimed.node()).as("node of the claimed job").isEqualTo("node-a");
        assertThat(store.get(job.id()).orElseThrow().node()).as("node of the job read back").isEqualTo("node-a");
        Job done = store.complete(job.id(), "node-a", new JobResult(ImageFormat.JPEG, 1, 1, 1, StoreFixtures.sha("n")),
                T0).orElseThrow();
        assertThat(done.node()).as("node of the done job").isNull();
        assertThat(store.get(job.id()).orElseThrow().node()).as("node of the done job read back").isNull();
    }

    @Test
    void failed_batch_insert_leaves_nothing_behind_for_the_next_insert() {
        Job first = queued(T0);
        assertThatThrownBy(() -> store.insert(null, List.of(first, first), limits(ROOMY)))
                .as("a batch naming the same job twice").isInstanceOf(ThumbnailException.class);

        Job next = insert(queued(T0));

        assertThat(store.list(JobQuery.all()).items()).extracting(Job::id)
                .as("jobs after a failed batch and one good insert").containsExactly(next.id());
    }

    @Test
    void a_page_of_rows_with_huge_fields_ends_early_and_the_rest_follow_on_later_pages() {
        // Rows as stored before names and URLs were bounded: 256 KB URLs, 20 of them.
        List<Job> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Job job = queued(T0);
            URI url = URI.create("https://example.com/" + "u".repeat(256 * 1024) + i);
            rows.add(job.toBuilder().source(new JobSource(url.toString(), 0, null, null, null, null, url)).build());
        }
        store.insert(null, rows, limits(ROOMY));

        Page<Job> first = store.list(JobQuery.all().withLimit(100));
        List<Job> all = new ArrayList<>(first.items());
        Page<Job> page = first;
        for (int pages = 0; page.next() != null && pages < 20; pages++) {
            page = store.list(JobQuery.all().withLimit(100).withCursor(page.next()));
            all.addAll(page.items());
        }

        assertThat(first.items()).as("the first page stops at its text budget").hasSizeLessThan(20);
        assertThat(first.next()).as("with a cursor to the rest").isNotNull();
        assertThat(all).extracting(Job::id).as("every row, once, over the pages")
                .containsExactlyInAnyOrderElementsOf(rows.stream().map(Job::id).toList());
    }

    @Test
    void a_page_that_ends_at_its_last_row_has_no_cursor() {
        store.insert(null, List.of(queued(T0), queued(T0)), limits(ROOMY));

        assertThat(store.list(JobQuery.all().withLimit(2)).next()).isNull();
        assertThat(store.list(JobQuery.all().withLimit(1)).next()).isNotNull();
    }

    @Test
    void a_batch_counts_its_items_by_status() {
        UUID batchId = UUID.randomUUID();
        Job first = queued(T0).toBuilder().batchId(batchId).build();
        Job second = queued(T0).toBuilder().batchId(batchId).build();
        store.insert(new JobStore.NewBatch(batchId, 2, T0, "alice"), List.of(first, second), limits(ROOMY));
        claim("a", T0);

        io.thumbnail.Batch batch = store.batch(batchId).orElseThrow();

        assertThat(batch.items()).extracting(Job::id).as("items in order").containsExactly(first.id(), second.id());
        assertThat(batch.counts()).as("counts").containsEntry(JobStatus.PROCESSING, 1)
                .containsEntry(JobStatus.QUEUED, 1).containsEntry(JobStatus.DONE, 0);
        assertThat(batch.createdAt()).isEqualTo(T0);
        assertThat(batch.owner()).isEqualTo("alice");
        assertThat(store.batch(UUID.randomUUID())).as("unknown batch").isEmpty();
    }

    @Test
    void a_thumbnail_kept_in_a_second_format_is_recorded_and_referenced() {
        Job job = insert(queued(T0));
        claim("a", T0);
        JobResult result = new JobResult(ImageFormat.WEBP, 10, 10, 100, StoreFixtures.sha("webp"),
                new JobResult.Fallback(ImageFormat.JPEG, 150, StoreFixtures.sha("jpeg")));

        store.complete(job.id(), "a", result, T0);

        assertThat(store.get(job.id()).orElseThrow().result()).as("result read back").isEqualTo(result);
        assertThat(store.references(StoreFixtures.sha("jpeg"))).as("fallback referenced").isTrue();
        assertThat(store.referencedHashes()).as("every hash named")
                .contains(job.source().sha256(), StoreFixtures.sha("webp"), StoreFixtures.sha("jpeg"));
    }

    @Test
    void a_publication_is_recorded_and_the_published_jobs_listed_by_destination() {
        Job published = insert(queued(T0).toBuilder().publication(Publication.pending(Publication.IMGUR)).build());
        Job failed = insert(queued(T0).toBuilder().publication(Publication.pending(Publication.IMGUR)).build());
        Publication link = new Publication(Publication.IMGUR, "https://i.example/a.jpg", "secret", null);
        Publication refused = new Publication(Publication.IMGUR, null, null,
                new JobError(ErrorCode.PUBLISH_FAILED, "refused"));

        store.recordPublication(published.id(), "a", link);
        store.recordPublication(failed.id(), "a", refused);

        assertThat(store.get(published.id()).orElseThrow().publication()).isEqualTo(link);
        assertThat(store.get(failed.id()).orElseThrow().publication()).isEqualTo(refused);
        assertThat(store.list(JobQuery.all().withPublished(Publication.IMGUR)).items()).extracting(Job::id)
                .as("jobs published to imgur").containsExactly(published.id());
    }

    @Test
    void a_fetched_source_is_recorded_only_by_the_node_holding_the_job() {
        URI url = URI.create("https://example.com/cat.jpg");
        Job job = insert(queued(T0).toBuilder().source(new JobSource("cat.jpg", 0, null, null, null, null, url))
                .build());
        claim("a", T0);
        JobSource fetched = new JobSource("cat.jpg", 5000, ImageFormat.JPEG, 640, 480, StoreFixtures.sha("cat"), url);

        assertThat(store.recordSource(job.id(), "b", fetched)).as("recorded by a stranger").isEmpty();
        assertThat(store.recordSource(job.id(), "a", fetched)).map(Job::source).as("recorded by its node")
                .contains(fetched);
        assertThat(store.findDone(fetched.sha256(), job.spec(), null)).as("not done yet").isEmpty();
    }
}
