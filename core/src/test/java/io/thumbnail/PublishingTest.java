package io.thumbnail;

import io.thumbnail.internal.publish.ImgurStandIn;
import io.thumbnail.internal.publish.Publishing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Publishing as a step of its own: on threads of its own, never a worker's; a publication cut short by a crash or a
 * shutdown is published when the service next starts; publishers are plug-ins, their targets checked at submit.
 * Imgur is a loopback stand-in.
 */
class PublishingTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);
    private static final SubmitOptions TO_IMGUR = SubmitOptions.builder().publishTo(Publication.IMGUR).build();

    @TempDir
    Path dir;
    private ImgurStandIn imgur;
    private final List<ThumbnailService> opened = new ArrayList<>();

    @BeforeEach
    void startImgur() throws IOException {
        imgur = new ImgurStandIn("client-1");
    }

    @AfterEach
    void stop() {
        opened.forEach(ThumbnailService::close);
        imgur.close();
    }

    private ThumbnailServiceBuilder builder() {
        return ThumbnailService.builder().dataDir(dir).imgurClientId("client-1").imgurBaseUrl(imgur.baseUrl());
    }

    private ThumbnailService open(ThumbnailServiceBuilder builder) {
        ThumbnailService service = builder.build();
        opened.add(service);
        return service;
    }

    private static ImageSource image(int seed) {
        return ImageSource.of(TestImages.png(90, 60, seed), "cat" + seed + ".png");
    }

    @Test
    void a_publication_left_pending_by_a_crash_between_thumbnail_and_publish_completes_at_the_next_start() {
        ThumbnailService crashed = open(builder().hooks(h -> h.withStartWorkers(false)));
        Job job = crashed.submit(image(1), SPEC, TO_IMGUR);
        crashed.assembly().byHand().runNextJob();
        assertThat(crashed.get(job.id()).orElseThrow().publication()).as("after the thumbnail, before publishing")
                .isEqualTo(Publication.pending(Publication.IMGUR));
        // What was about to be published lives only in the crashed service's memory.
        crashed.close();
        imgur.then(ImgurStandIn.success("Later1", "later-hash"));

        ThumbnailService reopened = open(builder().hooks(h -> h.withStartWorkers(false)));
        int resumed = reopened.assembly().byHand().publishQueued();

        Job published = reopened.get(job.id()).orElseThrow();
        assertThat(resumed).as("publications resumed at start").isEqualTo(1);
        assertThat(published.publication()).isEqualTo(
                Publication.published(Publication.IMGUR, "https://i.imgur.com/Later1.png", "later-hash"));
        assertThat(imgur.received()).as("uploads to Imgur").hasSize(1);
        assertThat(imgur.received().get(0).parts().get("image")).as("the thumbnail")
                .isEqualTo(reopened.thumbnailBytes(job.id()));
    }

    @Test
    void a_publication_cut_short_by_a_shutdown_is_left_pending_and_published_at_the_next_start() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        imgur.holdNext(arrived, release).then(ImgurStandIn.success("Cut", "cut-hash"))
                .then(ImgurStandIn.success("Again", "again-hash"));
        ThumbnailService first = open(builder().workers(1).shutdownTimeout(Duration.ofMillis(500)));
        Job job = first.submit(image(2), SPEC, TO_IMGUR);
        assertThat(arrived.await(60, TimeUnit.SECONDS)).as("the upload reached Imgur").isTrue();

        first.close();
        release.countDown();

        ThumbnailService second = open(builder().hooks(h -> h.withStartWorkers(false)));
        assertThat(second.get(job.id()).orElseThrow().publication().isPending()).as("pending after the shutdown")
                .isTrue();
        second.assembly().byHand().publishQueued();

        assertThat(second.get(job.id()).orElseThrow().publication().link())
                .isEqualTo("https://i.imgur.com/Again.png");
    }

    @Test
    void a_publisher_that_waits_holds_no_worker() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        imgur.holdNext(arrived, release).then(ImgurStandIn.success("Slow", "slow-hash"));
        ThumbnailService service = open(builder().workers(1));
        try {
            Job published = service.submit(image(3), SPEC, TO_IMGUR);
            assertThat(arrived.await(60, TimeUnit.SECONDS)).as("the upload reached Imgur").isTrue();

            Job next = service.await(service.submit(image(4), SPEC, SubmitOptions.defaults()).id(),
                    Duration.ofSeconds(60));

            assertThat(next.status()).as("the next job, on the only worker, while Imgur holds the first's upload")
                    .isEqualTo(JobStatus.DONE);
            assertThat(service.get(published.id()).orElseThrow().publication().isPending())
                    .as("the first still being published").isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void a_registered_publisher_serves_its_target_and_unknown_targets_are_refused_naming_the_known_ones() {
        List<String> published = new ArrayList<>();
        ThumbnailService service = open(ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .publisher(new Publisher() {
                    @Override
                    public String target() {
                        return "gallery";
                    }

                    @Override
                    public Publication publish(byte[] image, ImageFormat format) {
                        published.add(format.id() + " " + image.length);
                        return Publication.published("gallery", "https://gallery.example/1", null);
                    }
                }));
        Job job = service.submit(image(5), SPEC, SubmitOptions.builder().publishTo("gallery").build());

        service.assembly().byHand().processNext();

        assertThat(service.get(job.id()).orElseThrow().publication().link()).isEqualTo("https://gallery.example/1");
        assertThat(published).as("calls of the publisher").hasSize(1);
        assertThatThrownBy(() -> service.submit(image(6), SPEC, SubmitOptions.builder().publishTo("flickr").build()))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessage("publish must be gallery or imgur (was 'flickr')");
        assertThatThrownBy(() -> service.submit(image(6), SPEC, TO_IMGUR)).as("imgur, known but not configured")
                .hasMessageContaining("publishing to imgur is not configured on this service");
        assertThatThrownBy(() -> service.list(JobQuery.all().withPublished("flickr"))).as("a listing filter")
                .hasMessage("published must be gallery or imgur (was 'flickr')");
    }

    /**
     * A publisher of the target {@code gallery} that counts its calls and, while publishing, does what a test asks (what
     * happens elsewhere meanwhile).
     */
    static final class Gallery implements Publisher {
        final AtomicInteger calls = new AtomicInteger();
        volatile Runnable whilePublishing = () -> { };

        @Override
        public String target() {
            return "gallery";
        }

        @Override
        public Publication publish(byte[] image, ImageFormat format) {
            int call = calls.incrementAndGet();
            whilePublishing.run();
            return Publication.published("gallery", "https://gallery.example/" + call, null);
        }
    }

    private static final SubmitOptions TO_GALLERY = SubmitOptions.builder().publishTo("gallery").build();
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** A service without threads publishing to {@code gallery}, on {@code clock}, with leases of {@link #LEASE}. */
    private ThumbnailService withGallery(Gallery gallery, MutableClock clock) {
        return open(ThumbnailService.builder().dataDir(dir).publisher(gallery).clock(clock).lease(LEASE)
                .hooks(h -> h.withStartWorkers(false)));
    }

    /** A job whose thumbnail is done and whose publication to the gallery is pending and asked for. */
    private static UUID donePendingPublication(ThumbnailService service, int seed) {
        Job job = service.submit(image(seed), SPEC, TO_GALLERY);
        service.assembly().byHand().runNextJob();
        return job.id();
    }

    @Test
    void a_publication_another_node_holds_is_not_published_here() {
        MutableClock clock = MutableClock.startingNow();
        Gallery gallery = new Gallery();
        ThumbnailService service = withGallery(gallery, clock);
        UUID id = donePendingPublication(service, 7);
        service.assembly().store().publications().claim(id, "other-node", clock.instant(), LEASE);

        service.assembly().byHand().publishQueued();

        assertThat(gallery.calls).as("calls of the publisher").hasValue(0);
        assertThat(service.get(id).orElseThrow().publication().isPending()).as("still pending").isTrue();
        assertThat(service.assembly().byHand().takeUpPendingPublications())
                .as("taken up while the other node's lease lasts")
                .isZero();
    }

    @Test
    void a_publication_whose_lease_ran_out_is_taken_up_by_the_look_for_pending_ones_without_a_restart() {
        MutableClock clock = MutableClock.startingNow();
        Gallery gallery = new Gallery();
        ThumbnailService service = withGallery(gallery, clock);
        UUID id = donePendingPublication(service, 8);
        service.assembly().store().publications().claim(id, "node-that-died", clock.instant(), LEASE);
        service.assembly().byHand().publishQueued();
        clock.advance(LEASE);

        int taken = service.assembly().byHand().takeUpPendingPublications();
        service.assembly().byHand().publishQueued();

        assertThat(taken).as("publications taken up once the lease ran out").isEqualTo(1);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(service.get(id).orElseThrow().publication().link()).isEqualTo("https://gallery.example/1");
    }

    @Test
    void a_publisher_that_runs_longer_than_the_lease_keeps_it_renewed_so_no_other_node_takes_it() {
        MutableClock clock = MutableClock.startingNow();
        Gallery gallery = new Gallery();
        ThumbnailService service = withGallery(gallery, clock);
        UUID id = donePendingPublication(service, 9);
        List<Boolean> othersClaims = new ArrayList<>();
        List<Integer> renewed = new ArrayList<>();
        gallery.whilePublishing = () -> {
            for (int i = 0; i < 3; i++) {
                clock.advance(LEASE.minusSeconds(5));
                renewed.add(service.assembly().byHand().renewPublicationLeases());
                othersClaims.add(service.assembly().store().publications().claim(id, "other-node", clock.instant(),
                        LEASE));
            }
        };

        service.assembly().byHand().publishQueued();

        assertThat(renewed).as("leases renewed at each heartbeat while publishing").containsExactly(1, 1, 1);
        assertThat(othersClaims).as("another node's claims, each nearly a lease after the last renewal")
                .containsExactly(false, false, false);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(service.assembly().byHand().renewPublicationLeases()).as("leases renewed once published").isZero();
    }

    @Test
    void a_publisher_running_past_the_time_limit_is_interrupted_and_its_publication_recorded_failed() {
        MutableClock clock = MutableClock.startingNow();
        Gallery gallery = new Gallery();
        ThumbnailService service = withGallery(gallery, clock);
        UUID id = donePendingPublication(service, 11);
        List<Integer> expired = new ArrayList<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        gallery.whilePublishing = () -> {
            clock.advance(Publishing.TIME_LIMIT);
            expired.add(service.assembly().byHand().expireOverduePublications());
            // Without threads the publisher runs on this test's thread: take the interruption back.
            interrupted.set(Thread.interrupted());
        };

        service.assembly().byHand().publishQueued();

        Publication publication = service.get(id).orElseThrow().publication();
        assertThat(expired).as("publications ended at the time limit").containsExactly(1);
        assertThat(interrupted).as("the publisher's thread interrupted").isTrue();
        assertThat(publication.error()).as("failed, though the publisher returned a link afterwards: " + publication)
                .isNotNull();
        assertThat(publication.error().code()).isEqualTo(ErrorCode.PUBLISH_FAILED);
        assertThat(publication.error().message()).isEqualTo("publishing to gallery did not finish within the time"
                + " limit of 5 minutes; it was stopped");
        assertThat(service.assembly().byHand().renewPublicationLeases()).as("leases renewed after the time limit")
                .isZero();
    }

    @Test
    void a_publisher_within_the_time_limit_is_left_to_finish() {
        MutableClock clock = MutableClock.startingNow();
        Gallery gallery = new Gallery();
        ThumbnailService service = withGallery(gallery, clock);
        UUID id = donePendingPublication(service, 12);
        List<Integer> expired = new ArrayList<>();
        gallery.whilePublishing = () -> {
            clock.advance(Publishing.TIME_LIMIT.minusSeconds(1));
            expired.add(service.assembly().byHand().expireOverduePublications());
        };

        service.assembly().byHand().publishQueued();

        assertThat(expired).as("publications ended a second before the time limit").containsExactly(0);
        assertThat(service.get(id).orElseThrow().publication().link()).isEqualTo("https://gallery.example/1");
    }

    @Test
    void publishers_that_ignore_their_interruption_do_not_hold_up_the_publications_after_them() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        CountDownLatch bothHung = new CountDownLatch(2);
        CountDownLatch third = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Gallery gallery = new Gallery();
        gallery.whilePublishing = () -> {
            if (gallery.calls.get() > 2) {
                third.countDown();
                return;
            }
            bothHung.countDown();
            // A blocking read without a timeout: deaf to interruption, returns only when the test lets it.
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        };
        // Heartbeats an hour apart: the test alone ends the overdue publications.
        ThumbnailService service = open(ThumbnailService.builder().dataDir(dir).publisher(gallery).clock(clock)
                .lease(Duration.ofHours(2)).heartbeat(Duration.ofHours(1)).shutdownTimeout(Duration.ofMillis(200)));
        try {
            List<UUID> hung = List.of(service.submit(image(13), SPEC, TO_GALLERY).id(),
                    service.submit(image(14), SPEC, TO_GALLERY).id());
            assertThat(bothHung.await(60, TimeUnit.SECONDS)).as("both publishing threads hung").isTrue();
            clock.advance(Publishing.TIME_LIMIT);
            assertThat(service.assembly().byHand().expireOverduePublications()).as("publications ended").isEqualTo(2);

            UUID next = service.submit(image(15), SPEC, TO_GALLERY).id();

            assertThat(third.await(60, TimeUnit.SECONDS)).as("the next publication began beside the hung ones")
                    .isTrue();
            service.close();
            ThumbnailService reopened = open(ThumbnailService.builder().dataDir(dir).publisher(new Gallery())
                    .hooks(h -> h.withStartWorkers(false)));
            assertThat(reopened.get(next).orElseThrow().publication().link()).as("the next publication")
                    .isEqualTo("https://gallery.example/3");
            for (UUID id : hung) {
                assertThat(reopened.get(id).orElseThrow().publication().error()).as("hung publication " + id)
                        .extracting(JobError::code).isEqualTo(ErrorCode.PUBLISH_FAILED);
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void a_publication_a_crash_left_claimed_is_published_at_the_next_start_under_a_new_node_id() {
        MutableClock clock = MutableClock.startingNow();
        Gallery gallery = new Gallery();
        ThumbnailService crashed = withGallery(gallery, clock);
        UUID id = donePendingPublication(crashed, 10);
        // The claim of a publisher that never returned: the process died with it.
        crashed.assembly().store().publications().claim(id, crashed.assembly().settings().nodeId(),
                clock.instant(), LEASE);
        crashed.close();

        ThumbnailService reopened = withGallery(gallery, clock);
        int resumed = reopened.assembly().byHand().publishQueued();

        assertThat(resumed).as("publications resumed at start, within the crashed one's lease").isEqualTo(1);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(reopened.get(id).orElseThrow().publication().isPublished()).as("published").isTrue();
    }

    /** A publisher of {@code target} that is never asked to publish. */
    private static Publisher unused(String target) {
        return new Publisher() {
            @Override
            public String target() {
                return target;
            }

            @Override
            public Publication publish(byte[] image, ImageFormat format) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void two_publishers_for_one_target_are_refused_at_build() {
        assertThatThrownBy(() -> builder().publisher(unused("imgur")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two publishers for the target 'imgur'");
    }

    @Test
    void a_target_that_is_not_a_name_is_refused_at_build() {
        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).publisher(unused("Not A Name")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not A Name");
    }
}
