package io.thumbnail;

import io.thumbnail.s3.LocalS3;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service (SQLite in the data directory) whose images live in a bucket of a real S3 API: jobs made, served and
 * deleted from it, the sweep and the quarantine in it, a bad bucket refused at start, and an outage of the object
 * store refusing work without losing any.
 */
class S3BlobServiceTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);
    private static final String PREFIX = "service";

    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private final LocalS3 s3 = endpoint.s3();
    private final String bucket = endpoint.newBucket("service");
    private final MutableClock clock = MutableClock.startingNow();
    private ThumbnailService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private ThumbnailServiceBuilder builder() {
        return ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withStartWorkers(false))
                .blobStore(s3.location(bucket, PREFIX));
    }

    private ThumbnailService open() {
        service = builder().build();
        return service;
    }

    private String key(String sha256) {
        return PREFIX + "/" + sha256.substring(0, 2) + "/" + sha256;
    }

    @Test
    void a_jobs_original_and_thumbnail_live_in_the_bucket_and_the_thumbnail_streams_from_it() throws IOException {
        open();
        Job job = service.submit(ImageSource.of(TestImages.png(120, 80, 1), "a.png"), SPEC, SubmitOptions.defaults());

        assertThat(service.assembly().byHand().processNext()).as("processed").isTrue();

        Job done = service.get(job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.DONE);
        assertThat(s3.keys(bucket)).as("keys in the bucket")
                .containsExactlyInAnyOrder(key(job.source().sha256()), key(done.result().sha256()));
        try (ThumbnailContent content = service.openThumbnail(job.id()); InputStream in = content.stream()) {
            byte[] streamed = in.readAllBytes();
            assertThat(content.length()).as("length").isEqualTo(streamed.length);
            assertThat(streamed).as("the thumbnail, streamed").isEqualTo(s3.read(bucket, key(done.result().sha256())));
        }
        assertThat(dir.resolve("blobs")).as("a blob folder in the data directory").doesNotExist();
    }

    @Test
    void an_upload_arrives_in_a_file_of_the_data_directory_and_is_stored_in_the_bucket() throws IOException {
        open();
        byte[] png = TestImages.png(300, 200, 2);
        Job job;
        try (ImageUpload upload = service.newUpload()) {
            int half = png.length / 2;
            upload.write(ByteBuffer.wrap(png, 0, half));
            upload.write(ByteBuffer.wrap(png, half, png.length - half));
            try (var received = Files.list(dir.resolve("incoming"))) {
                assertThat(received).as("files being received").hasSize(1);
            }
            job = service.submit(upload.source("b.png"), SPEC, SubmitOptions.defaults());
        }

        assertThat(s3.read(bucket, key(job.source().sha256()))).as("the original in the bucket").isEqualTo(png);
        try (var received = Files.list(dir.resolve("incoming"))) {
            assertThat(received).as("files being received once submitted").isEmpty();
        }
    }

    @Test
    void deleting_a_job_deletes_its_blobs_from_the_bucket_but_not_those_another_job_needs() {
        open();
        byte[] png = TestImages.png(90, 60, 3);
        Job first = service.submit(ImageSource.of(png, "a.png"), SPEC, SubmitOptions.defaults());
        Job second = service.submit(ImageSource.of(png, "a.png"), ThumbnailSpec.box(20, 20), SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        service.assembly().byHand().processNext();
        String firstThumbnail = service.get(first.id()).orElseThrow().result().sha256();

        service.delete(first.id());

        assertThat(s3.keys(bucket)).as("keys after deleting the first job")
                .doesNotContain(key(firstThumbnail))
                .contains(key(first.source().sha256()), key(service.get(second.id()).orElseThrow().result().sha256()));
    }

    @Test
    void a_blob_no_job_refers_to_waits_in_the_buckets_quarantine_and_goes_after_the_grace() {
        open();
        String stray = "ab".repeat(32);
        s3.client().putObject(r -> r.bucket(bucket).key(key(stray)), RequestBody.fromString("left by a crash"));

        assertThat(service.assembly().byHand().runJanitor().filesQuarantined()).as("quarantined by the janitor")
                .isEqualTo(1);
        assertThat(s3.keys(bucket)).as("keys once quarantined").singleElement().asString()
                .startsWith(PREFIX + "/quarantine/").endsWith("/" + stray);
        assertThat(service.stats().quarantinedFiles()).as("quarantined, as the health reports it").isEqualTo(1);

        clock.advance(ServiceDefaults.QUARANTINE_GRACE.plus(Duration.ofMinutes(1)));
        service.assembly().byHand().runJanitor();

        assertThat(s3.keys(bucket)).as("keys after the grace").isEmpty();
    }

    @Test
    void a_missing_bucket_stops_the_start_with_one_line_naming_it_and_leaves_the_data_directory_free() {
        ThumbnailServiceBuilder missing = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .blobStore(s3.location("no-such-bucket", ""));

        assertThatThrownBy(missing::build).isInstanceOf(ThumbnailException.class)
                .hasMessage("could not open the blob store s3://no-such-bucket: the bucket 'no-such-bucket' does not"
                        + " exist at " + s3.endpoint());

        assertThat(open().stats().blobsWritable()).as("a service opened after it, on a bucket that exists").isTrue();
    }

    @Test
    void a_malformed_location_is_refused_by_the_builder_naming_the_option() {
        assertThatThrownBy(() -> ThumbnailService.builder().blobStore("s3://thumbs?regoin=eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("blobStore must be s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&path-style=true, but it"
                        + " takes only endpoint, region and path-style (was 'regoin')");
    }

    @Test
    void an_outage_of_the_object_store_refuses_submits_loses_no_job_and_ends_when_it_answers_again() {
        open();
        Job before = service.submit(ImageSource.of(TestImages.png(80, 60, 4), "before.png"), SPEC, SubmitOptions.defaults());
        s3.stop();
        try {
            assertThatThrownBy(() -> service.submit(ImageSource.of(TestImages.png(80, 60, 5), "during.png"), SPEC, SubmitOptions.defaults()))
                    .as("a submit during the outage").isInstanceOfSatisfying(ThumbnailException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
            assertThat(service.stats().blobsWritable()).as("blobs writable during the outage").isFalse();
            assertThat(service.list(JobQuery.all()).items()).as("jobs during the outage").extracting(Job::id)
                    .containsExactly(before.id());
        } finally {
            s3.restart();
        }

        clock.advance(Duration.ofSeconds(2));
        ServiceTestHooks.checkStatus(service);
        assertThat(service.stats().blobsWritable()).as("blobs writable once the store answers").isTrue();
        Job after = service.submit(ImageSource.of(TestImages.png(80, 60, 5), "during.png"), SPEC, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        service.assembly().byHand().processNext();
        assertThat(List.of(before, after)).allSatisfy(job -> assertThat(service.get(job.id()).orElseThrow().status())
                .as("job %s", job.source().name()).isEqualTo(JobStatus.DONE));
    }
}
