package io.thumbnail.internal.blob.s3;

import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.blob.BlobGuard;
import io.thumbnail.internal.blob.BlobRemovals;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.IncomingFile;
import io.thumbnail.internal.blob.MissingBlob;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.health.StoreOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@link BlobStore} in a bucket of S3-compatible object storage, which several nodes can share: a blob is the
 * object {@code [prefix/]ab/<sha256>} ({@link S3Keys}), complete once it exists (an S3 write is all or nothing), and
 * written with {@code If-None-Match: *}, so that of two nodes storing the same bytes one stores them and the other is
 * told they are stored already. An upload is received into a file of the data directory, never whole in memory, and
 * sent from that file once its hash is known. Reads stream from the bucket through this node: clients never need to
 * reach the bucket, and its address and keys stay on the server.
 *
 * <p>Deletions are decided under the {@link BlobGuard} the store is given: pins in this process when one node uses
 * the bucket, pins in the shared database when several do.
 *
 * <p>Opening asks the bucket once ({@code HeadBucket}, and the first page of blobs for {@link #storedAtOpen}), so a
 * wrong endpoint, a missing bucket or refused credentials stop the start with one line saying which
 * ({@link StoreOpenException}). It does not list the whole bucket: the sweep of unreferenced blobs waits for the
 * janitor's first run.
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    /** Uploads larger than this are looked for before they are sent, so a duplicate is not sent again. */
    static final long LOOK_BEFORE_SENDING = 256 << 10;
    /** How many blobs opening counts at most (one page of a listing): enough to tell an empty store from a used one. */
    static final int COUNTED_AT_OPEN = S3Removals.PAGE;
    /** How long a bucket that answered is believed up before {@link #ping} asks it again. */
    private static final long PING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final S3Client client;
    private final S3Bucket bucket;
    private final S3Keys keys;
    private final StoreHealth health;
    private final BlobGuard guard;
    private final Path incoming;
    private final S3Removals removals;
    private final int storedAtOpen;

    private S3BlobStore(S3Client client, S3Location location, Path incoming, StoreHealth health, BlobGuard guard,
                        LongSupplier nanoTime) throws IOException {
        this.client = client;
        this.health = health;
        this.guard = guard;
        this.incoming = incoming;
        this.keys = new S3Keys(location.prefix());
        this.bucket = new S3Bucket(client, location, health, nanoTime);
        bucket.headBucketOrThrow(false);
        this.removals = new S3Removals(bucket, keys, guard, IncomingFile.clearFolder(incoming));
        this.storedAtOpen = removals.countFirstPage();
        removals.countQuarantined();
    }

    /**
     * Opens the store at {@code location} with the credentials in {@code AWS_ACCESS_KEY_ID} and
     * {@code AWS_SECRET_ACCESS_KEY}; uploads are received into {@code incoming} (a folder of the data directory, whose
     * lock the caller holds: what it holds at opening is left from a crash, and deleted).
     *
     * @throws StoreOpenException naming the store and why it cannot be used
     */
    public static S3BlobStore open(S3Location location, Path incoming, StoreHealth health, BlobGuard guard) {
        return open(location, EnvironmentVariableCredentialsProvider.create(), incoming, health, guard);
    }

    /** As {@link #open(S3Location, Path, StoreHealth, BlobGuard)}, with the credentials {@code credentials} gives. */
    public static S3BlobStore open(S3Location location, AwsCredentialsProvider credentials, Path incoming,
                                   StoreHealth health, BlobGuard guard) {
        return open(location, credentials, incoming, health, guard, System::nanoTime);
    }

    /** Tests: as above, the silences {@link #ping} measures read from {@code nanoTime}. */
    static S3BlobStore open(S3Location location, AwsCredentialsProvider credentials, Path incoming,
                            StoreHealth health, BlobGuard guard, LongSupplier nanoTime) {
        S3Client client;
        try {
            client = S3Clients.build(location, credentials);
        } catch (SdkException e) {
            throw new StoreOpenException("could not open the blob store " + location + ": "
                    + S3Problems.describe(e, location), e);
        }
        return around(client, location, incoming, health, guard, nanoTime);
    }

    /** Opens the store through {@code client}, which it closes if opening fails, and when it is closed. */
    static S3BlobStore around(S3Client client, S3Location location, Path incoming, StoreHealth health,
                              BlobGuard guard, LongSupplier nanoTime) {
        try {
            S3BlobStore store = new S3BlobStore(client, location, incoming, health, guard, nanoTime);
            log.info("blobs in {} at {}: {}{} stored, {} quarantined", location, location.where(),
                    store.storedAtOpen, store.storedAtOpen == COUNTED_AT_OPEN ? " or more" : "",
                    store.quarantined());
            return store;
        } catch (SdkException | StoreException | IOException e) {
            client.close();
            Throwable cause = e instanceof StoreException ? e.getCause() : e;
            String why = cause instanceof SdkException sdk ? S3Problems.describe(sdk, location)
                    : "the folder " + incoming + ": " + e;
            throw new StoreOpenException("could not open the blob store " + location + ": " + why, e);
        }
    }

    @Override
    public Pin pin(String sha256) {
        return guard.pin(BlobStore.requireSha256(sha256));
    }

    @Override
    public boolean exists(String sha256) {
        return bucket.exists(keys.home(sha256));
    }

    @Override
    public boolean write(String sha256, byte[] bytes) {
        return bucket.putIfAbsent(keys.home(sha256), RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(bytes), bytes.length, "application/octet-stream"));
    }

    @Override
    public Incoming receive() {
        return IncomingFile.create(incoming, received, false);
    }

    /** Where uploads go: sent from their file, which is then deleted. */
    private final IncomingFile.Destination received = new IncomingFile.Destination() {
        @Override
        public boolean store(Path file, String sha256) throws IOException {
            String key = keys.home(sha256);
            // Before the look too: an upload of an image the bucket holds already would wait out its timeouts.
            bucket.refuseWhileFailing(key);
            if (Files.size(file) > LOOK_BEFORE_SENDING && bucket.exists(key)) {
                return false;
            }
            return bucket.putIfAbsent(key, RequestBody.fromFile(file));
        }

        /** A failure of the local folder uploads are received into: the request's, not the bucket's health. */
        @Override
        public StoreException failed(String message, IOException e) {
            return new StoreException(message + ": " + e.getMessage(), e);
        }
    };

    @Override
    public byte[] read(String sha256) {
        byte[] bytes = bucket.read(keys.home(sha256));
        if (bytes == null) {
            throw missing(sha256);
        }
        return bytes;
    }

    @Override
    public Content open(String sha256) {
        ResponseInputStream<GetObjectResponse> stream = bucket.open(keys.home(sha256));
        if (stream == null) {
            throw missing(sha256);
        }
        return new Content(stream, stream.response().contentLength());
    }

    private static ThumbnailException missing(String sha256) {
        return new MissingBlob(sha256, null);
    }

    /** The blobs the first page of the bucket held when the store opened: at most {@value #COUNTED_AT_OPEN}. */
    @Override
    public int storedAtOpen() {
        return storedAtOpen;
    }

    /** Writes and deletes the small object {@code write-probe}, so a store whose writes failed finds out if they work. */
    @Override
    public void probeWrite() {
        bucket.probe(keys.probe());
    }

    /**
     * Asks the bucket whether it answers ({@code HeadBucket}) if nothing was heard from it for a few seconds, so that
     * an outage shows in the health before a request meets it; a failure is told to the health.
     */
    @Override
    public void ping() {
        if (bucket.silentNanos() < PING_AFTER_NANOS || !health.writable()) {
            return; // heard from lately, or failing already (then probed until a write works)
        }
        try {
            bucket.headBucketOrThrow(true);
        } catch (SdkException e) {
            health.failed(new StoreException("the bucket of " + bucket.location() + " does not answer: "
                    + S3Problems.describe(e, bucket.location()), e));
        }
    }

    @Override
    public StoreHealth health() {
        return health;
    }

    @Override
    public BlobRemovals removals() {
        return removals;
    }

    @Override
    public void close() {
        client.close();
    }
}
