package io.thumbnail.internal.publish;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.MutableClock;
import io.thumbnail.Publication;
import io.thumbnail.Publisher;
import io.thumbnail.internal.blob.LocalBlobStore;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.SqliteJobStore;
import io.thumbnail.internal.store.StoreFixtures;
import io.thumbnail.internal.time.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publication's outcome recorded while the job database fails for a moment: tried again for a few seconds with the
 * lease still held, so the thumbnail is published once; one that still cannot be recorded is left to its lease and
 * published again only once that has run out. A real SQLite store whose records of outcomes are made to fail; time is
 * the test's clock, which each wait between two tries moves on.
 */
class OutcomeRecordingTest {
    private static final String NODE = "node-1";
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final byte[] THUMBNAIL = {1, 2, 3, 4};
    private static final String SHA = StoreFixtures.sha("thumbnail");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final List<Duration> waits = new ArrayList<>();
    private final Gallery gallery = new Gallery();
    /** What happens elsewhere during each wait between two tries. */
    private Runnable whileWaiting = () -> { };
    private JobStore real;
    private LocalBlobStore blobs;
    private FailingRecords failing;
    private Publishing publishing;

    @BeforeEach
    void open() {
        real = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { });
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        blobs.write(SHA, THUMBNAIL);
        failing = new FailingRecords(real);
        Sleeper sleeper = wait -> {
            waits.add(wait);
            clock.advance(wait);
            whileWaiting.run();
        };
        publishing = new Publishing(failing.store(), blobs, new Publishers(List.of(gallery)), clock,
                new PublishingLease(NODE, LEASE, Duration.ofSeconds(10)), sleeper, false);
    }

    @AfterEach
    void close() {
        blobs.close();
        real.close();
    }

    /** A publisher of the target {@code gallery} that counts its calls. */
    private static final class Gallery implements Publisher {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String target() {
            return "gallery";
        }

        @Override
        public Publication publish(byte[] image, ImageFormat format) {
            return Publication.published("gallery", "https://gallery.example/" + calls.incrementAndGet(), null);
        }
    }

    /** A job whose thumbnail is done and whose publication to the gallery is pending. */
    private UUID donePendingPublication() {
        Job job = StoreFixtures.queued(T0).toBuilder().publication(Publication.pending("gallery")).build();
        real.insert(null, List.of(job), new JobStore.QueueLimits(10, 10));
        real.claimNext("worker", T0, LEASE, Duration.ofMinutes(5)).orElseThrow();
        real.complete(job.id(), "worker", new JobResult(ImageFormat.PNG, 2, 2, THUMBNAIL.length, SHA), T0)
                .orElseThrow();
        return job.id();
    }

    /** Publishes job {@code id}'s thumbnail on this thread, as a publishing thread would. */
    private void publish(UUID id) {
        publishing.publish(id);
        publishing.runQueued();
    }

    /** Looks for pending publications this node may take up, as every node does each minute; how many it took. */
    private int takeUpPending() {
        int taken = publishing.takeUpPending();
        publishing.runQueued();
        return taken;
    }

    private Publication publication(UUID id) {
        return real.get(id).orElseThrow().publication();
    }

    @Test
    void an_outcome_the_store_fails_to_record_once_is_recorded_by_the_next_try_and_published_once() {
        UUID id = donePendingPublication();
        failing.failNext(1);

        publish(id);
        takeUpPending();

        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(publication(id)).as("the publication")
                .isEqualTo(Publication.published("gallery", "https://gallery.example/1", null));
        assertThat(waits).as("waits before the try that recorded it").containsExactly(Duration.ofMillis(250));
    }

    @Test
    void while_an_outcome_is_tried_again_its_lease_is_still_renewed() {
        UUID id = donePendingPublication();
        failing.failNext(2);
        List<Integer> renewed = new ArrayList<>();
        whileWaiting = () -> renewed.add(publishing.renewLeases());

        publish(id);

        assertThat(renewed).as("leases renewed by heartbeats during the waits").containsExactly(1, 1);
        assertThat(publication(id).isPublished()).as("published once the store works").isTrue();
    }

    @Test
    void an_outcome_is_tried_a_few_times_within_a_few_seconds_before_it_is_left_unrecorded() {
        UUID id = donePendingPublication();
        failing.failNext(Integer.MAX_VALUE);

        publish(id);

        assertThat(failing.records()).as("tries to record the outcome").isEqualTo(OutcomeRecorder.TRIES);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).as("time waited between them")
                .isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(publication(id).isPending()).as("the publication, unrecorded").isTrue();
    }

    @Test
    void an_outcome_left_unrecorded_is_published_again_only_once_its_lease_has_run_out() {
        UUID id = donePendingPublication();
        failing.failNext(OutcomeRecorder.TRIES);
        publish(id);

        int takenWhileLeased = takeUpPending();
        clock.advance(LEASE);
        int takenOnceRunOut = takeUpPending();

        assertThat(takenWhileLeased).as("taken up while its lease may last").isZero();
        assertThat(takenOnceRunOut).as("taken up once it has run out").isEqualTo(1);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(2);
        assertThat(publication(id)).as("the publication")
                .isEqualTo(Publication.published("gallery", "https://gallery.example/2", null));
    }
}
