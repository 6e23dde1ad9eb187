package io.thumbnail;

import io.thumbnail.internal.publish.ImgurStandIn;
import io.thumbnail.internal.source.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * URL sources and Imgur publishing through the job system, with workers driven by hand. Images are served from
 * 127.0.0.1 (private sources allowed, except where the guard itself is the subject) and Imgur is a loopback stand-in.
 */
class UrlSourceServiceTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private final ScriptedPipeline pipeline = new ScriptedPipeline();
    private final AtomicInteger hits = new AtomicInteger();
    private final byte[] png = TestImages.png(120, 80, 7);
    private LoopbackServer origin;
    private ImgurStandIn imgur;
    private ThumbnailService service;

    @BeforeEach
    void start() throws IOException {
        origin = LoopbackServer.onIpv4("origin")
                .on("/cat.png", ex -> {
                    hits.incrementAndGet();
                    LoopbackServer.respond(ex, 200, "text/plain", png);
                })
                .on("/missing.png", ex -> LoopbackServer.respond(ex, 404, null, new byte[0]))
                .on("/flaky.png", ex -> LoopbackServer.respond(ex, 503, null, new byte[0]))
                .on("/slow.png", ex -> {
                    try {
                        Thread.sleep(3_000); // past the 2 s the fetch is given
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    LoopbackServer.respond(ex, 200, "image/png", png);
                })
                .on("/page.png", ex -> LoopbackServer.respond(ex, 200, "image/png", "<html>hi</html>".getBytes()));
        imgur = new ImgurStandIn("client-1");
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        imgur.close();
        origin.close();
    }

    private ThumbnailService open(boolean allowPrivateSources) {
        service = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false))
                .allowPrivateSources(allowPrivateSources).fetchTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .imgurClientId("client-1").imgurBaseUrl(imgur.baseUrl()).build();
        return service;
    }

    private Job job(Job job) {
        return service.get(job.id()).orElseThrow();
    }

    @Test
    void submit_records_the_url_and_leaves_fetching_to_a_worker() {
        open(true);

        Job queued = service.submit(ImageSource.url(URI.create(origin.url("/cat.png"))), SPEC,
                SubmitOptions.defaults());

        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.source().url()).hasToString(origin.url("/cat.png"));
        assertThat(queued.source().sha256()).as("unknown until fetched").isNull();
        assertThat(hits.get()).as("requests made by submit").isZero();

        assertThat(service.assembly().byHand().processNext()).isTrue();

        Job done = job(queued);
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(hits.get()).as("fetched once, by the worker").isEqualTo(1);
        assertThat(done.source().url()).as("the source still records the URL").hasToString(origin.url("/cat.png"));
        assertThat(done.source().sha256()).isEqualTo(Thumbnailer.sha256(png));
        assertThat(done.source().format()).as("sniffed, though served as text/plain").isEqualTo(ImageFormat.PNG);
        assertThat(done.source().width()).isEqualTo(120);
    }

    @Test
    void a_404_fails_the_job_at_once_with_source_unreachable() {
        open(true);
        Job queued = service.submit(ImageSource.url(URI.create(origin.url("/missing.png"))), SPEC,
                SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        Job failed = job(queued);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(failed.error().message()).contains("HTTP 404");
        assertThat(failed.attempts()).as("not retried").isEqualTo(1);
    }

    @Test
    void a_web_page_served_as_png_fails_at_once_with_unsupported_format() {
        open(true);
        Job queued = service.submit(ImageSource.url(URI.create(origin.url("/page.png"))), SPEC,
                SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        Job failed = job(queued);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
        assertThat(failed.attempts()).as("not retried").isEqualTo(1);
    }

    @Test
    void a_5xx_is_retried_with_backoff() {
        open(true);
        Job queued = service.submit(ImageSource.url(URI.create(origin.url("/flaky.png"))), SPEC,
                SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        Job waiting = job(queued);
        assertThat(waiting.status()).as("queued again for a retry").isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.error().code()).isEqualTo(ErrorCode.IO_ERROR);
        assertThat(waiting.error().message()).contains("HTTP 503");
    }

    @Test
    void a_source_still_unreachable_on_the_last_try_fails_with_source_unreachable_not_io_error() {
        open(true);
        Job queued = service.submit(ImageSource.url(URI.create(origin.url("/flaky.png"))), SPEC,
                SubmitOptions.defaults());

        for (int attempt = 1; attempt <= ServiceDefaults.MAX_ATTEMPTS; attempt++) {
            clock.advance(Duration.ofHours(1)); // past the retry's backoff
            assertThat(service.assembly().byHand().processNext()).as("try %d claimed", attempt).isTrue();
        }

        Job failed = job(queued);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).as("the source's failure, not the service's storage")
                .isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(failed.error().message()).contains("HTTP 503").endsWith("(tried 3 times)");
    }

    @Test
    void a_source_that_answers_too_late_on_the_last_try_fails_with_source_unreachable_not_timeout() {
        service = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false)).maxAttempts(1)
                .allowPrivateSources(true).fetchTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build();
        Job queued = service.submit(ImageSource.url(URI.create(origin.url("/slow.png"))), SPEC,
                SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        Job failed = job(queued);
        assertThat(failed.error().code()).as("the source's failure, not the job's time limit")
                .isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(failed.error().message()).contains("took longer than 2000 ms").endsWith("(tried 1 time)");
    }

    @Test
    void the_guard_is_on_by_default_and_refuses_a_loopback_address_at_submit() {
        open(false);

        assertThatThrownBy(() -> service.submit(ImageSource.url(URI.create(origin.url("/cat.png"))), SPEC,
                SubmitOptions.defaults()))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_BLOCKED))
                .hasMessageContaining("loopback");
        assertThat(service.list(JobQuery.all()).items()).as("jobs queued").isEmpty();
        assertThat(hits.get()).as("requests that reached the loopback server").isZero();
    }

    @Test
    void a_batch_naming_a_blocked_address_is_refused_whole_at_submit_with_nothing_queued() {
        open(false);

        assertThatThrownBy(() -> service.submitAll(List.of(ImageSource.url(URI.create("http://10.0.0.1/a.jpg")),
                ImageSource.url(URI.create("http://169.254.169.254/b.jpg"))), SPEC, SubmitOptions.defaults()))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_BLOCKED));
        assertThat(service.list(JobQuery.all()).items()).as("jobs queued or failed").isEmpty();
    }

    @Test
    void a_host_name_that_resolves_to_loopback_fails_its_job_without_being_requested() {
        open(false);
        Job queued = service.submit(ImageSource.url(URI.create(origin.url("/cat.png").replace("127.0.0.1",
                "localhost"))), SPEC, SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        Job failed = job(queued);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.SOURCE_BLOCKED);
        assertThat(failed.error().message()).contains("'localhost'", "loopback");
        assertThat(hits.get()).as("requests that reached the loopback server").isZero();
    }

    @Test
    void a_url_with_the_same_bytes_as_an_upload_is_deduplicated_by_content() {
        open(true);
        Job uploaded = service.submit(ImageSource.of(png, "cat.png"), SPEC, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        Job fromUrl = service.submit(ImageSource.url(URI.create(origin.url("/cat.png"))), SPEC,
                SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        Job done = job(fromUrl);
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.result()).as("the upload's thumbnail, reused").isEqualTo(job(uploaded).result());
        assertThat(pipeline.calls()).as("thumbnails made").isEqualTo(1);
    }

    @Test
    void an_upload_after_a_url_with_the_same_bytes_is_born_done() {
        open(true);
        Job fromUrl = service.submit(ImageSource.url(URI.create(origin.url("/cat.png"))), SPEC,
                SubmitOptions.defaults());
        service.assembly().byHand().processNext();

        Job uploaded = service.submit(ImageSource.of(png, "again.png"), SPEC, SubmitOptions.defaults());

        assertThat(uploaded.status()).as("deduplicated at submit").isEqualTo(JobStatus.DONE);
        assertThat(uploaded.result()).isEqualTo(job(fromUrl).result());
        assertThat(pipeline.calls()).isEqualTo(1);
    }

    @Test
    void a_published_job_records_the_imgur_link_and_deletehash() {
        open(true);
        imgur.then(ImgurStandIn.success("AbC123", "secret-hash"));
        Job queued = service.submit(ImageSource.of(png, "cat.png"), SPEC,
                SubmitOptions.builder().publishTo(Publication.IMGUR).build());
        assertThat(queued.publication()).isEqualTo(Publication.pending("imgur"));

        service.assembly().byHand().processNext();

        Job done = job(queued);
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(done.publication()).isEqualTo(
                new Publication("imgur", "https://i.imgur.com/AbC123.png", "secret-hash", null));
        assertThat(imgur.received().get(0).parts().get("image")).as("the thumbnail, not the original")
                .isEqualTo(service.thumbnailBytes(queued.id()));
    }

    @Test
    void a_duplicate_that_asks_to_publish_reuses_the_thumbnail_and_is_still_published() {
        open(true);
        service.submit(ImageSource.of(png, "first.png"), SPEC, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        imgur.then(ImgurStandIn.success("Dup1", "dup-hash"));

        Job queued = service.submit(ImageSource.of(png, "again.png"), SPEC,
                SubmitOptions.builder().publishTo(Publication.IMGUR).build());
        service.assembly().byHand().processNext();

        Job done = job(queued);
        assertThat(done.publication().link()).isEqualTo("https://i.imgur.com/Dup1.png");
        assertThat(pipeline.calls()).as("thumbnails made").isEqualTo(1);
    }

    @Test
    void a_failed_publish_is_recorded_and_the_thumbnail_stays_done() {
        open(true);
        imgur.then(ImgurStandIn.error(403, Map.of(), "Permission denied"));
        Job queued = service.submit(ImageSource.of(png, "cat.png"), SPEC,
                SubmitOptions.builder().publishTo(Publication.IMGUR).build());

        service.assembly().byHand().processNext();

        Job done = job(queued);
        assertThat(done.status()).as("the thumbnail is unaffected").isEqualTo(JobStatus.DONE);
        assertThat(done.publication().link()).isNull();
        assertThat(done.publication().error().code()).isEqualTo(ErrorCode.PUBLISH_FAILED);
        assertThat(done.publication().error().message()).contains("HTTP 403: Permission denied");
    }

    @Test
    void listing_with_published_imgur_returns_only_published_jobs() {
        open(true);
        imgur.then(ImgurStandIn.success("One", "h1"));
        Job published = service.submit(ImageSource.of(png, "cat.png"), SPEC,
                SubmitOptions.builder().publishTo(Publication.IMGUR).build());
        service.submit(ImageSource.of(TestImages.png(60, 60, 9), "other.png"), SPEC, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        service.assembly().byHand().processNext();

        List<Job> listed = service.list(JobQuery.all().withPublished(Publication.IMGUR)).items();

        assertThat(listed).extracting(Job::id).containsExactly(published.id());
        assertThat(listed.get(0).publication().link()).isEqualTo("https://i.imgur.com/One.png");
    }

    @Test
    void asking_for_an_unknown_publish_target_is_refused_at_submit() {
        open(true);

        assertThatThrownBy(() -> service.submit(ImageSource.of(png, "cat.png"), SPEC,
                SubmitOptions.builder().publishTo("flickr").build()))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("flickr");
    }

    @Test
    void a_url_with_another_scheme_is_refused_at_submit() {
        assertThatThrownBy(() -> ImageSource.url(URI.create("file:///etc/passwd")))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_BLOCKED));
    }
}
