package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static io.thumbnail.internal.store.StoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link JobStore} must do with webhook callbacks: keep them on the job's (or the batch's) row, list the
 * pending ones with when they are due, let one claim of a due try succeed and no other until it runs out or the try
 * is recorded, and record a try without reporting it as a change of the job.
 */
public abstract class CallbackStoreContract {
    private static final URI HOOK = URI.create("https://hooks.example.com/thumbnails");
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final JobStore.QueueLimits ROOMY = new JobStore.QueueLimits(10_000, 10_000);

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

    private Job withCallback() {
        Job job = queued(T0).toBuilder().callback(Callback.pending(HOOK)).build();
        store.insert(null, List.of(job), ROOMY);
        return job;
    }

    /** The job, the only one queued, claimed and done. */
    private Job finished(Job job) {
        store.claimNext("a", T0, Duration.ofSeconds(30), Duration.ofMinutes(5)).orElseThrow();
        return store.complete(job.id(), "a", new JobResult(ImageFormat.PNG, 1, 1, 1, StoreFixtures.sha("t")), T0)
                .orElseThrow();
    }

    private boolean claim(CallbackSubject subject, Instant now) {
        return store.callbacks().claim(subject, now, CLAIM);
    }

    @Test
    void a_jobs_callback_is_kept_on_its_row_pending() {
        Job job = withCallback();

        assertThat(store.get(job.id()).orElseThrow().callback()).as("read back")
                .isEqualTo(Callback.pending(HOOK));
        assertThat(finished(job).callback()).as("as the finish returns it").isEqualTo(Callback.pending(HOOK));
    }

    @Test
    void a_batchs_callback_is_kept_on_its_row_and_its_items_have_none() {
        UUID batchId = UUID.randomUUID();
        Job item = queued(T0).toBuilder().batchId(batchId).build();
        store.insert(new JobStore.NewBatch(batchId, 1, T0, null, Callback.pending(HOOK)), List.of(item), ROOMY);

        assertThat(store.batch(batchId).orElseThrow().callback()).isEqualTo(Callback.pending(HOOK));
        assertThat(store.get(item.id()).orElseThrow().callback()).as("the item's callback").isNull();
    }

    @Test
    void pending_callbacks_are_those_of_finished_jobs_and_of_every_batch_due_now() {
        Job done = finished(withCallback());
        Job unfinished = withCallback();
        UUID batchId = UUID.randomUUID();
        store.insert(new JobStore.NewBatch(batchId, 1, T0, null, Callback.pending(HOOK)),
                List.of(queued(T0).toBuilder().batchId(batchId).build()), ROOMY);

        assertThat(store.callbacks().pending(T0)).as("pending, due now").containsExactly(
                new PendingCallback(CallbackSubject.job(done.id()), Duration.ZERO),
                new PendingCallback(CallbackSubject.batch(batchId), Duration.ZERO));
        assertThat(claim(CallbackSubject.job(unfinished.id()), T0)).as("a claim of an unfinished job's").isFalse();
    }

    @Test
    void of_two_claims_of_one_due_try_only_the_first_succeeds_until_the_claim_runs_out() {
        CallbackSubject subject = CallbackSubject.job(finished(withCallback()).id());

        assertThat(claim(subject, T0)).as("the first claim").isTrue();
        assertThat(claim(subject, T0)).as("a second claim at once").isFalse();
        assertThat(claim(subject, T0.plus(CLAIM).minusSeconds(1))).as("a claim before the first runs out").isFalse();
        assertThat(claim(subject, T0.plus(CLAIM))).as("a claim once the first ran out").isTrue();
    }

    @Test
    void a_recorded_retry_is_claimed_no_sooner_than_its_time_and_listed_with_it() {
        Job job = finished(withCallback());
        CallbackSubject subject = CallbackSubject.job(job.id());
        claim(subject, T0);
        Instant retry = T0.plusSeconds(10);
        int reported = changes.size();

        store.callbacks().record(subject, Callback.pending(HOOK).retrying("HTTP 500"), T0, Duration.ofSeconds(10));

        assertThat(store.get(job.id()).orElseThrow().callback())
                .isEqualTo(new Callback(HOOK, Callback.Status.PENDING, 1, "HTTP 500"));
        assertThat(store.callbacks().pending(T0.plusSeconds(4))).as("pending, 4 s after the try")
                .containsExactly(new PendingCallback(subject, Duration.ofSeconds(6)));
        assertThat(store.callbacks().pending(retry.plusSeconds(1))).as("pending, past the retry's time")
                .containsExactly(new PendingCallback(subject, Duration.ZERO));
        assertThat(claim(subject, retry.minusMillis(1))).as("a claim before the retry's time").isFalse();
        assertThat(claim(subject, retry)).as("a claim at the retry's time").isTrue();
        assertThat(changes).as("changes reported by recording a try").hasSize(reported);
    }

    @Test
    void a_delivered_callback_is_neither_pending_nor_claimable() {
        Job job = finished(withCallback());
        CallbackSubject subject = CallbackSubject.job(job.id());
        claim(subject, T0);

        store.callbacks().record(subject, Callback.pending(HOOK).delivered(), T0, null);

        assertThat(store.get(job.id()).orElseThrow().callback())
                .isEqualTo(new Callback(HOOK, Callback.Status.DELIVERED, 1, null));
        assertThat(store.callbacks().pending(T0)).isEmpty();
        assertThat(claim(subject, T0.plus(Duration.ofDays(1)))).as("a claim of a delivered one").isFalse();
    }

    @Test
    void a_batchs_try_is_claimed_and_recorded_like_a_jobs() {
        UUID batchId = UUID.randomUUID();
        store.insert(new JobStore.NewBatch(batchId, 1, T0, null, Callback.pending(HOOK)),
                List.of(queued(T0).toBuilder().batchId(batchId).build()), ROOMY);
        CallbackSubject subject = CallbackSubject.batch(batchId);

        assertThat(claim(subject, T0)).as("the first claim").isTrue();
        assertThat(claim(subject, T0)).as("a second claim").isFalse();
        store.callbacks().record(subject, Callback.pending(HOOK).failed("HTTP 410"), T0, null);

        assertThat(store.batch(batchId).orElseThrow().callback())
                .isEqualTo(new Callback(HOOK, Callback.Status.FAILED, 1, "HTTP 410"));
        assertThat(store.callbacks().pending(T0)).isEmpty();
    }
}
