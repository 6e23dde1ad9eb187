package io.thumbnail.internal.blob.s3;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.BlobStoreContract;
import io.thumbnail.internal.blob.Pins;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.health.StoreOpenException;
import io.thumbnail.s3.LocalS3;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The blob store contract on a bucket of a real S3 API (s3proxy on loopback), and what the S3 store adds to it. */
class S3BlobStoreTest extends BlobStoreContract {
    private static final String PREFIX = "tiles/2026";

    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private final LocalS3 s3 = endpoint.s3();
    private final String bucket = endpoint.newBucket("blobs");
    private final List<BlobStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(BlobStore::close);
    }

    private S3Location location() {
        return S3Location.parse(s3.location(bucket, PREFIX));
    }

    @Override
    protected BlobStore openStore() {
        return track(S3BlobStore.open(location(), dir.resolve("incoming"), health(), new Pins()));
    }

    private S3BlobStore track(S3BlobStore store) {
        opened.add(store);
        return store;
    }

    private static StoreHealth health() {
        return new StoreHealth("the blob store", Clock.systemUTC());
    }

    @Test
    void blobs_live_under_the_prefix_at_keys_named_by_their_hash() {
        BlobStore blobs = openStore();

        blobs.write(SHA, BYTES);

        assertThat(s3.keys(bucket)).as("keys in the bucket")
                .containsExactly(PREFIX + "/" + SHA.substring(0, 2) + "/" + SHA);
        assertThat(s3.read(bucket, PREFIX + "/" + SHA.substring(0, 2) + "/" + SHA)).isEqualTo(BYTES);
    }

    @Test
    void of_two_nodes_storing_the_same_bytes_at_once_exactly_one_stores_them() throws Exception {
        int nodes = 6;
        List<BlobStore> stores = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            stores.add(openStore());
        }
        byte[] photo = photo(512 << 10, 5);
        String sha = sha256(photo);

        List<Boolean> stored = atOnce(stores.stream().<Callable<Boolean>>map(node -> () -> node.write(sha, photo))
                .toList());

        assertThat(stored).as("which writes stored the blob (If-None-Match: *)").containsOnlyOnce(true);
    }

    @Test
    void an_upload_is_received_into_a_file_of_the_data_directory_and_sent_from_it() throws IOException {
        BlobStore blobs = openStore();
        Path incoming = dir.resolve("incoming");
        byte[] photo = photo(2 << 20, 9);
        try (BlobStore.Incoming upload = blobs.receive()) {
            upload.write(ByteBuffer.wrap(photo));
            upload.finish();
            assertThat(files(incoming)).as("files being received").hasSize(1);
            assertThat(s3.keys(bucket)).as("keys before storing").isEmpty();

            assertThat(upload.store(sha256(photo))).as("stored by this call").isTrue();
        }

        assertThat(files(incoming)).as("files being received once stored").isEmpty();
        assertThat(s3.read(bucket, PREFIX + "/" + sha256(photo).substring(0, 2) + "/" + sha256(photo)))
                .isEqualTo(photo);
    }

    /**
     * The property is that the blob is written once and the write that stored it says so, however many times the
     * SDK sends a PUT: besides the resend after the lost answer, a slow PUT may be sent again on a loaded machine.
     */
    @Test
    void a_write_whose_answer_was_lost_and_sent_again_knows_it_stored_the_blob() {
        List<String> sent = new CopyOnWriteArrayList<>();
        List<Integer> putAnswers = new CopyOnWriteArrayList<>();
        AtomicInteger answersLost = new AtomicInteger();
        ExecutionInterceptor answered = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission ctx, ExecutionAttributes attributes) {
                if (ctx.httpRequest().method() == SdkHttpMethod.PUT) {
                    putAnswers.add(ctx.httpResponse().statusCode());
                }
            }
        };
        ExecutionInterceptor loseFirstAnswer = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission ctx, ExecutionAttributes attributes) {
                if (ctx.httpRequest().method() == SdkHttpMethod.PUT && answersLost.getAndIncrement() == 0) {
                    throw SdkClientException.create("the answer was lost", new IOException("connection reset"));
                }
            }
        };
        // The SDK runs the interceptors' afterTransmission last first: answers are seen before one is lost.
        try (S3Client client = S3Clients.build(location(), credentials(LocalS3.SECRET_KEY), loseFirstAnswer,
                recorder(sent), answered)) {
            BlobStore blobs = S3BlobStore.around(client, location(), dir.resolve("incoming"), health(), new Pins(),
                    System::nanoTime);

            assertThat(blobs.write(SHA, BYTES)).as("stored by this write, whose first answer was lost").isTrue();
            assertThat(blobs.write(SHA, BYTES)).as("stored by a second write").isFalse();
        }

        String key = PREFIX + "/" + SHA.substring(0, 2) + "/" + SHA;
        assertThat(sent).as("PUTs sent: the first write's, its resend, the second write's (and a slow one's resend)")
                .filteredOn(request -> request.startsWith("PUT")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(putAnswers).as("PUTs answered as stored: at most one; every other found the key taken (412)")
                .filteredOn(status -> status / 100 == 2).hasSizeLessThanOrEqualTo(1);
        assertThat(s3.keys(bucket)).as("keys in the bucket").containsExactly(key);
        assertThat(s3.read(bucket, key)).as("the blob's bytes").isEqualTo(BYTES);
    }

    @Test
    void a_refusal_answered_before_the_body_was_all_sent_shows_as_a_broken_write_and_the_bucket_settles_it() {
        assertThat(openStore().write(SHA, BYTES)).as("stored by the first node").isTrue();
        // The server answers 412 on the headers and closes; the client, still sending, sees its write broken off.
        ExecutionInterceptor brokenOff = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission ctx, ExecutionAttributes attributes) {
                if (ctx.httpRequest().method() == SdkHttpMethod.PUT) {
                    throw SdkClientException.create("Error writing request body to server",
                            new IOException("Error writing request body to server"));
                }
            }
        };
        try (S3Client client = S3Clients.build(location(), credentials(LocalS3.SECRET_KEY), brokenOff)) {
            StoreHealth health = health();
            BlobStore second = S3BlobStore.around(client, location(), dir.resolve("incoming-2"), health, new Pins(),
                    System::nanoTime);

            assertThat(second.write(SHA, BYTES)).as("stored already, by the first node").isFalse();
            assertThat(health.writable()).as("no outage of the bucket").isTrue();
        }
    }

    @Test
    void a_write_whose_tries_all_met_closed_connections_is_sent_once_more() {
        AtomicInteger broken = new AtomicInteger();
        // As a connection the server closed while it sat in the pool: the request never reaches the server.
        ExecutionInterceptor staleConnections = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission ctx, ExecutionAttributes attributes) {
                if (ctx.httpRequest().method() == SdkHttpMethod.PUT && broken.getAndIncrement() < S3Clients.ATTEMPTS) {
                    throw SdkClientException.create("Error writing request body to server",
                            new IOException("Error writing request body to server"));
                }
            }
        };
        try (S3Client client = S3Clients.build(location(), credentials(LocalS3.SECRET_KEY), staleConnections)) {
            BlobStore blobs = S3BlobStore.around(client, location(), dir.resolve("incoming"), health(), new Pins(),
                    System::nanoTime);

            assertThat(blobs.write(SHA, BYTES)).as("stored, by the try after the SDK's").isTrue();
        }
        assertThat(broken.get()).as("PUTs begun").isEqualTo(S3Clients.ATTEMPTS + 1);
    }

    @Test
    void a_read_whose_tries_all_met_closed_connections_is_sent_once_more_and_the_store_stays_healthy() {
        openStore().write(SHA, BYTES);
        AtomicInteger broken = new AtomicInteger();
        ExecutionInterceptor staleConnections = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission ctx, ExecutionAttributes attributes) {
                if (ctx.httpRequest().method() == SdkHttpMethod.GET && broken.getAndIncrement() < S3Clients.ATTEMPTS) {
                    throw SdkClientException.create("Unexpected end of file from server",
                            new IOException("Unexpected end of file from server"));
                }
            }
        };
        try (S3Client client = S3Clients.build(location(), credentials(LocalS3.SECRET_KEY), staleConnections)) {
            StoreHealth health = health();
            BlobStore blobs = S3BlobStore.around(client, location(), dir.resolve("incoming"), health, new Pins(),
                    System::nanoTime);
            broken.set(0);

            assertThat(blobs.read(SHA)).as("read by the try after the SDK's").isEqualTo(BYTES);
            assertThat(health.writable()).as("no outage of the bucket").isTrue();
        }
    }

    @Test
    void an_upload_stored_already_is_not_sent_again() {
        BlobStore blobs = openStore();
        byte[] photo = photo(1 << 20, 4);
        blobs.write(sha256(photo), photo);
        List<String> sent = new CopyOnWriteArrayList<>();
        try (S3Client recorded = S3Clients.build(location(), credentials(LocalS3.SECRET_KEY), recorder(sent))) {
            S3BlobStore watched = S3BlobStore.around(recorded, location(), dir.resolve("other"), health(), new Pins(),
                    System::nanoTime);
            try (BlobStore.Incoming upload = watched.receive()) {
                upload.write(ByteBuffer.wrap(photo));
                upload.finish();
                assertThat(upload.store(sha256(photo))).as("stored by this call").isFalse();
            }
        }

        assertThat(sent).as("requests made to store it").noneMatch(request -> request.startsWith("PUT"));
    }

    @Test
    void while_the_bucket_is_known_to_fail_an_upload_of_an_image_it_holds_is_refused_without_a_request() {
        BlobStore blobs = openStore();
        byte[] photo = photo(1 << 20, 6);
        blobs.write(sha256(photo), photo);
        List<String> sent = new CopyOnWriteArrayList<>();
        try (S3Client recorded = S3Clients.build(location(), credentials(LocalS3.SECRET_KEY), recorder(sent))) {
            StoreHealth health = health();
            S3BlobStore watched = S3BlobStore.around(recorded, location(), dir.resolve("other"), health, new Pins(),
                    System::nanoTime);
            health.failed(new StoreException("the bucket does not answer", null));
            int atOpening = sent.size();
            try (BlobStore.Incoming upload = watched.receive()) {
                upload.write(ByteBuffer.wrap(photo));
                upload.finish();

                assertThatThrownBy(() -> upload.store(sha256(photo))).as("the upload, answered 503 at once")
                        .isInstanceOf(StoreException.class).hasMessageContaining("the bucket has been failing");
            }
            assertThat(sent.subList(atOpening, sent.size()))
                    .as("requests made for the upload (a look would wait out a silent bucket's timeouts)").isEmpty();
        }
    }

    @Test
    void leftovers_of_uploads_cut_short_by_a_crash_are_deleted_at_opening() throws IOException {
        Path incoming = Files.createDirectories(dir.resolve("incoming"));
        Files.write(incoming.resolve("crashed.upload"), BYTES);

        BlobStore blobs = openStore();

        assertThat(files(incoming)).as("files being received after opening").isEmpty();
        assertThat(blobs.sweepLeftoversAndList().leftoversDeleted()).as("leftovers reported").isEqualTo(1);
    }

    @Test
    void the_first_sweep_lists_nothing_so_a_start_never_waits_for_the_whole_bucket() {
        openStore().write(SHA, BYTES);
        BlobStore blobs = openStore();

        assertThat(blobs.sweepLeftoversAndList().hashes()).as("first sweep after opening").isEmpty();
        assertThat(blobs.sweepLeftoversAndList().hashes()).as("second sweep").containsExactly(SHA);
    }

    @Test
    void keys_outside_the_layout_and_other_prefixes_are_neither_listed_nor_counted() {
        BlobStore blobs = openStore();
        blobs.write(SHA, BYTES);
        S3Client client = s3.client();
        for (String key : List.of(PREFIX + "/readme.txt", PREFIX + "/ab/not-a-hash", PREFIX + "/write-probe",
                PREFIX + "/" + SHA.substring(2, 4) + "/" + SHA, PREFIX + "x/" + SHA.substring(0, 2) + "/" + SHA,
                SHA.substring(0, 2) + "/" + SHA)) {
            client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(BYTES));
        }
        blobs.sweepLeftoversAndList();

        assertThat(blobs.sweepLeftoversAndList().hashes()).as("listed").containsExactly(SHA);
        assertThat(openStore().storedAtOpen()).as("counted at opening").isEqualTo(1);
    }

    @Test
    void a_listing_reads_every_page() {
        BlobStore blobs = openStore();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] bytes = {(byte) i};
            blobs.write(sha256(bytes), bytes);
            written.add(sha256(bytes));
        }
        S3Bucket bucketOfTwos = new S3Bucket(s3.client(), location(), health(), System::nanoTime);
        List<String> listed = new ArrayList<>();

        bucketOfTwos.list(PREFIX + "/", 2, Integer.MAX_VALUE, listed::add);

        assertThat(listed).as("keys listed two at a time").hasSize(7);
    }

    @Test
    void opening_a_missing_bucket_stops_with_a_line_naming_it() {
        S3Location missing = S3Location.parse(s3.location("no-such-bucket", ""));

        assertThatThrownBy(() -> S3BlobStore.open(missing, dir.resolve("incoming"), health(), new Pins()))
                .isInstanceOf(StoreOpenException.class)
                .hasMessage("could not open the blob store s3://no-such-bucket: the bucket 'no-such-bucket' does not"
                        + " exist at " + s3.endpoint());
    }

    @Test
    void opening_with_keys_the_store_refuses_says_so_and_shows_no_key() {
        assertThatThrownBy(() -> S3BlobStore.open(location(), credentials("not-the-secret"), dir.resolve("incoming"),
                health(), new Pins()))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageStartingWith("could not open the blob store s3://" + bucket + "/" + PREFIX + ": "
                        + s3.endpoint() + " refused AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the bucket '"
                        + bucket + "' (403")
                .hasMessageNotContaining("not-the-secret")
                .hasMessageNotContaining(LocalS3.ACCESS_KEY);
    }

    @Test
    void opening_without_keys_says_which_variables_to_set_and_sends_nothing() throws IOException {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from system settings.");
        };
        try (ServerSocket endpoint = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            endpoint.setSoTimeout(1);
            S3Location location = S3Location.parse("s3://thumbs?endpoint=http://127.0.0.1:" + endpoint.getLocalPort());

            assertThatThrownBy(() -> S3BlobStore.open(location, none, dir.resolve("incoming"), health(), new Pins()))
                    .isInstanceOf(StoreOpenException.class)
                    .hasMessage("could not open the blob store s3://thumbs: no credentials: set AWS_ACCESS_KEY_ID and"
                            + " AWS_SECRET_ACCESS_KEY in the environment");
            assertThatThrownBy(endpoint::accept).as("a connection to the endpoint")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void opening_where_nothing_answers_says_so() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        S3Location nowhere = S3Location.parse("s3://thumbs?endpoint=http://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> S3BlobStore.open(nowhere, dir.resolve("incoming"), health(), new Pins()))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageStartingWith("could not open the blob store s3://thumbs: nothing answers at"
                        + " http://127.0.0.1:" + closedPort + " (connection refused");
    }

    @Test
    void opening_where_connections_are_taken_but_never_answered_gives_up_after_its_time_limit() throws IOException {
        // A backlog takes the connection; nothing ever reads the request or answers it.
        try (ServerSocket silent = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            S3Location mute = S3Location.parse("s3://thumbs?endpoint=http://127.0.0.1:" + silent.getLocalPort());

            assertThatThrownBy(() -> assertTimeoutPreemptively(S3Bucket.OPEN_TIMEOUT.plusSeconds(30),
                    () -> S3BlobStore.open(mute, dir.resolve("incoming"), health(), new Pins()),
                    "the opening never gave up")).isInstanceOf(StoreOpenException.class)
                    .hasMessageStartingWith("could not open the blob store s3://thumbs");
        }
    }

    @Test
    void while_the_bucket_is_known_to_fail_a_write_is_refused_at_once_and_the_probe_lets_writes_in_again() {
        BlobStore blobs = openStore();
        blobs.health().failed(new StoreException("the bucket does not answer", null));
        byte[] later = {5, 5, 5};

        assertThatThrownBy(() -> blobs.write(sha256(later), later)).as("a write while the bucket is failing")
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.getMessage())
                        .contains("could not write", "the bucket has been failing since", "does not answer"));
        assertThat(blobs.exists(sha256(later))).as("the refused write, never sent").isFalse();

        blobs.probeWrite();

        assertThat(blobs.write(sha256(later), later)).as("a write once the probe found the bucket working").isTrue();
    }

    @Test
    void an_outage_fails_requests_as_the_stores_trouble_and_a_probe_finds_the_store_back() {
        BlobStore blobs = openStore();
        blobs.write(SHA, BYTES);
        byte[] later = {7, 7, 7};
        s3.stop();
        try {
            assertThatThrownBy(() -> blobs.write(sha256(later), later)).as("write during the outage")
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.getMessage())
                            .contains("could not write", "in s3://" + bucket + "/" + PREFIX + ": ",
                                    s3.endpoint().toString()));
            assertThat(blobs.health().writable()).as("writable during the outage").isFalse();
            assertThatThrownBy(blobs::probeWrite).as("probe during the outage").isInstanceOf(StoreException.class);
        } finally {
            s3.restart();
        }

        blobs.probeWrite();

        assertThat(blobs.health().writable()).as("writable once the store answers").isTrue();
        assertThat(blobs.read(SHA)).as("a blob from before the outage").isEqualTo(BYTES);
        assertThat(blobs.write(sha256(later), later)).as("a write after the outage").isTrue();
        blobs.sweepLeftoversAndList();
        assertThat(blobs.sweepLeftoversAndList().hashes()).as("stored hashes: the probe's object is gone").hasSize(2);
    }

    @Test
    void a_missing_blob_is_no_failure_of_the_store_but_a_missing_bucket_is() {
        BlobStore blobs = openStore();
        assertThatThrownBy(() -> blobs.read(SHA)).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
        assertThat(blobs.health().failures()).as("failures after a missing blob").isZero();

        s3.client().deleteBucket(r -> r.bucket(bucket));

        // s3proxy answers a write to a missing bucket before it reads the body, and may cut the connection while the
        // client still sends: the failure is the store's either way, said as the bucket missing or the connection cut.
        assertThatThrownBy(() -> blobs.write(SHA, BYTES)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not write " + PREFIX + "/" + SHA.substring(0, 2) + "/" + SHA + " in s3://"
                        + bucket + "/" + PREFIX + ": ");
        assertThat(blobs.health().writable()).as("writable once the bucket is gone").isFalse();
    }

    @Test
    void ping_asks_a_bucket_silent_for_a_while_and_finds_an_outage_before_any_request() {
        AtomicLong nanos = new AtomicLong();
        S3BlobStore blobs = track(S3BlobStore.open(location(), credentials(LocalS3.SECRET_KEY),
                dir.resolve("incoming"), health(), new Pins(), nanos::get));
        s3.stop();
        try {
            blobs.ping();
            assertThat(blobs.health().writable()).as("after a ping right after an answer").isTrue();

            nanos.addAndGet(Duration.ofSeconds(6).toNanos());
            blobs.ping();

            assertThat(blobs.health().writable()).as("after a ping of a bucket silent for 6 s").isFalse();
            assertThat(blobs.health().failure().orElseThrow().cause()).contains("does not answer",
                    "nothing answers at " + s3.endpoint());
        } finally {
            s3.restart();
        }
    }

    @Test
    void a_check_of_an_endpoint_that_takes_connections_but_never_answers_gives_up_and_says_so() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            S3Location nowhere = S3Location.parse("s3://thumbs?endpoint=http://127.0.0.1:" + silent.getLocalPort());
            StoreHealth health = health();
            try (S3Client client = S3Clients.build(nowhere, credentials(LocalS3.SECRET_KEY))) {
                S3Bucket bucket = new S3Bucket(client, nowhere, health, System::nanoTime);

                assertThatThrownBy(() -> bucket.probe("write-probe")).isInstanceOf(StoreException.class)
                        .hasMessage("could not write write-probe in s3://thumbs: http://127.0.0.1:"
                                + silent.getLocalPort() + " did not answer in time");
            }
            assertThat(health.writable()).as("writable after the probe").isFalse();
        }
    }

    @Test
    void requests_carry_no_checksum_the_api_does_not_require() {
        List<String> sent = new CopyOnWriteArrayList<>();
        List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
        ExecutionInterceptor record = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission ctx, ExecutionAttributes attributes) {
                headers.add(ctx.httpRequest().headers());
            }
        };
        try (S3Client client = S3Clients.build(location(), credentials(LocalS3.SECRET_KEY), record,
                recorder(sent))) {
            S3BlobStore.around(client, location(), dir.resolve("incoming"), health(), new Pins(), System::nanoTime)
                    .write(SHA, BYTES);
        }

        assertThat(sent).as("requests").anyMatch(request -> request.startsWith("PUT"));
        assertThat(headers).allSatisfy(h -> assertThat(h.keySet()).as("headers of a request").noneMatch(name ->
                name.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-checksum-")
                        || name.equalsIgnoreCase("x-amz-sdk-checksum-algorithm")
                        || name.equalsIgnoreCase("x-amz-trailer")));
        assertThat(headers).anySatisfy(h -> assertThat(h).containsEntry("If-None-Match", List.of("*")));
    }

    private static StaticCredentialsProvider credentials(String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalS3.ACCESS_KEY, secret));
    }

    /** Records each request's method and path as it is sent. */
    private static ExecutionInterceptor recorder(List<String> sent) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission ctx, ExecutionAttributes attributes) {
                sent.add(ctx.httpRequest().method() + " " + ctx.httpRequest().encodedPath());
            }
        };
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
