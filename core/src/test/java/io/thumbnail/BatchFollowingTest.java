package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Following one batch: its items' changes only, in order, to its end; and waiting for it without a thread. */
class BatchFollowingTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(32, 32);
    private static final SubmitOptions ALICE = SubmitOptions.builder().owner("alice").build();

    @TempDir
    Path dir;
    private ThumbnailService service;

    @BeforeEach
    void open() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    private static ImageSource image(int seed) {
        return ImageSource.of(TestImages.png(64, 48, seed), "img" + seed + ".png");
    }

    /** Records what it is told, as "status name" lines and "finished"/"ended code" at the end. */
    private static final class Recorder implements BatchListener {
        final List<String> heard = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Batch finished;

        @Override
        public void onItem(Job item) {
            heard.add(item.status().id() + " " + item.source().name());
        }

        @Override
        public void onFinished(Batch batch) {
            finished = batch;
            heard.add("finished");
            ended.countDown();
        }

        @Override
        public void onEnded(ThumbnailException reason) {
            heard.add("ended " + reason.code().id());
            ended.countDown();
        }

        void awaitEnd() throws InterruptedException {
            assertThat(ended.await(30, TimeUnit.SECONDS)).as("the subscription ended in time").isTrue();
        }
    }

    @Test
    void a_subscriber_hears_each_item_then_each_change_then_the_finished_batch() throws Exception {
        Batch batch = service.submitAll(List.of(image(1), image(2)), SPEC, ALICE);
        Recorder recorder = new Recorder();

        try (AutoCloseable subscription = service.subscribeBatch(batch.id(), "alice", recorder)) {
            service.assembly().byHand().processNext();
            service.assembly().byHand().processNext();
            recorder.awaitEnd();
        }

        assertThat(recorder.heard).containsExactly("queued img1.png", "queued img2.png", "processing img1.png",
                "done img1.png", "processing img2.png", "done img2.png", "finished");
        assertThat(recorder.finished.isFinished()).as("the batch told at the end is finished").isTrue();
    }

    @Test
    void a_subscriber_hears_nothing_of_other_jobs() throws Exception {
        Batch followed = service.submitAll(List.of(image(1)), SPEC, ALICE);
        service.submitAll(List.of(image(2), image(3)), SPEC, ALICE);
        service.submit(image(4), SPEC, ALICE);
        Recorder recorder = new Recorder();
        service.subscribeBatch(followed.id(), "alice", recorder);

        while (service.assembly().byHand().processNext()) {
            // every job, the followed batch's first
        }
        recorder.awaitEnd();

        assertThat(recorder.heard).containsExactly("queued img1.png", "processing img1.png", "done img1.png",
                "finished");
    }

    @Test
    void a_finished_batch_is_told_whole_at_once() throws Exception {
        Batch batch = service.submitAll(List.of(image(1)), SPEC, ALICE);
        service.assembly().byHand().processNext();
        Recorder recorder = new Recorder();

        service.subscribeBatch(batch.id(), null, recorder);

        assertThat(recorder.heard).as("told on the subscribing thread").containsExactly("done img1.png", "finished");
    }

    @Test
    void a_deleted_item_no_longer_counts() throws Exception {
        Batch batch = service.submitAll(List.of(image(1), image(2)), SPEC, ALICE);
        service.assembly().byHand().processNext();
        Recorder recorder = new Recorder();
        service.subscribeBatch(batch.id(), "alice", recorder);

        service.delete(batch.items().get(1).id(), "alice");
        recorder.awaitEnd();

        assertThat(recorder.heard).containsExactly("done img1.png", "queued img2.png", "finished");
        assertThat(recorder.finished.items()).as("items of the finished batch").hasSize(1);
    }

    @Test
    void another_owners_batch_is_not_found_at_once() {
        Batch batch = service.submitAll(List.of(image(1)), SPEC, ALICE);

        assertThatThrownBy(() -> service.subscribeBatch(batch.id(), "bob", new Recorder())).as("subscribe")
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(service.awaitBatch(batch.id(), "bob", Duration.ofSeconds(5), Runnable::run)).as("await")
                .failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(service.batch(batch.id(), "bob")).as("lookup").isEmpty();
        assertThat(service.batch(batch.id(), "alice")).as("lookup by its owner").isPresent();
    }

    @Test
    void closing_the_service_ends_a_subscription_with_unavailable() throws Exception {
        Batch batch = service.submitAll(List.of(image(1)), SPEC, ALICE);
        Recorder recorder = new Recorder();
        service.subscribeBatch(batch.id(), "alice", recorder);

        service.close();
        recorder.awaitEnd();

        assertThat(recorder.heard).containsExactly("queued img1.png", "ended unavailable");
    }

    @Test
    void beginning_to_close_ends_a_subscription_with_unavailable_at_once_and_refuses_new_ones() {
        Batch batch = service.submitAll(List.of(image(1)), SPEC, ALICE);
        Recorder recorder = new Recorder();
        service.subscribeBatch(batch.id(), "alice", recorder);

        service.beginClose();

        assertThat(recorder.heard).as("told on the closing thread, before any job or upload is waited for")
                .containsExactly("queued img1.png", "ended unavailable");
        assertThatThrownBy(() -> service.subscribeBatch(batch.id(), "alice", new Recorder()))
                .as("a subscription begun once closing has begun")
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void await_batch_completes_with_the_batch_once_every_item_is_finished() throws Exception {
        Batch batch = service.submitAll(List.of(image(1), image(2)), SPEC, ALICE);
        CompletableFuture<Batch> finished = service.awaitBatch(batch.id(), "alice", Duration.ofMinutes(5),
                Runnable::run);

        service.assembly().byHand().processNext();
        assertThat(finished).as("one of two items done").isNotDone();
        service.assembly().byHand().processNext();

        assertThat(finished.get(30, TimeUnit.SECONDS).counts().get(JobStatus.DONE)).as("done items").isEqualTo(2);
        assertThat(service.assembly().waiting()).as("waits left").isZero();
    }

    @Test
    void await_batch_returns_the_batch_as_it_is_when_the_time_is_up() throws Exception {
        Batch batch = service.submitAll(List.of(image(1), image(2)), SPEC, ALICE);
        service.assembly().byHand().processNext();

        Batch now = service.awaitBatch(batch.id(), "alice", Duration.ofMillis(20), Runnable::run)
                .get(30, TimeUnit.SECONDS);

        assertThat(now.isFinished()).as("finished").isFalse();
        assertThat(now.counts().get(JobStatus.DONE)).as("done items").isEqualTo(1);
    }

    @Test
    void closing_the_service_ends_a_batch_wait_at_once_with_unavailable() {
        Batch batch = service.submitAll(List.of(image(1)), SPEC, ALICE);
        CompletableFuture<Batch> finished = service.awaitBatch(batch.id(), "alice", Duration.ofMinutes(5),
                Runnable::run);
        assertThat(service.assembly().waiting()).as("waits in progress").isEqualTo(1);

        service.close();

        assertThat(finished).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void an_unknown_batch_is_not_found() {
        assertThatThrownBy(() -> service.subscribeBatch(UUID.randomUUID(), null, new Recorder()))
                .hasMessageContaining("no batch with id");
    }
}
