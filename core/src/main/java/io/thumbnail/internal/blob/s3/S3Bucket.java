package io.thumbnail.internal.blob.s3;

import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The requests the store makes of its bucket. A request the bucket refuses or never answers is the server's trouble:
 * it is told to the store's {@link StoreHealth} and thrown as a {@link StoreException} naming what was being done and
 * why, in words ({@link S3Problems}). A missing object is no such trouble: it is an answer.
 */
final class S3Bucket {
    /** HTTP 412: a write with {@code If-None-Match: *} found the key taken. */
    private static final int KEY_EXISTS = 412;
    /** HTTP 409: AWS S3's answer to a conditional write racing another write of the same key. */
    private static final int WRITE_CONFLICT = 409;
    private static final int WRITE_ATTEMPTS = 3;
    private static final String OCTETS = "application/octet-stream";
    /** The metadata ({@code x-amz-meta-writer}) naming the write that stored an object. */
    private static final String WRITER = "writer";
    /** How long the first request, at opening, may take: a bucket that takes connections but never answers. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);
    /** The longest a check of the bucket (from the health, the probe) may take, retries included. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final S3Client client;
    private final S3Location location;
    private final StoreHealth health;
    private final LongSupplier nanoTime;
    private volatile long lastAnswerNanos;

    /** @param nanoTime where the time since the bucket last answered is read from ({@link System#nanoTime()}) */
    S3Bucket(S3Client client, S3Location location, StoreHealth health, LongSupplier nanoTime) {
        this.client = client;
        this.location = location;
        this.health = health;
        this.nanoTime = nanoTime;
        this.lastAnswerNanos = nanoTime.getAsLong();
    }

    S3Location location() {
        return location;
    }

    /** How long ago the bucket last answered anything. */
    long silentNanos() {
        return nanoTime.getAsLong() - lastAnswerNanos;
    }

    /**
     * Asks whether the bucket is there and these credentials may use it; throws the SDK's exception if not. At opening
     * it gives up after {@link #OPEN_TIMEOUT} (its first request also loads much of the SDK); a {@code quick} check,
     * made while a health request waits, after {@link #CHECK_TIMEOUT}, however many tries that takes.
     */
    void headBucketOrThrow(boolean quick) {
        client.headBucket(r -> r.bucket(location.bucket()).overrideConfiguration(o -> o.apiCallTimeout(quick
                ? CHECK_TIMEOUT : OPEN_TIMEOUT)));
        lastAnswerNanos = nanoTime.getAsLong();
    }

    /**
     * Writes and deletes the small object {@code key}, within {@link #CHECK_TIMEOUT} each: a check that runs while a
     * health request waits, so an endpoint that swallows packets must not hold it for the client's full timeouts.
     */
    void probe(String key) {
        call("could not write " + key, () -> {
            client.putObject(r -> r.bucket(location.bucket()).key(key).contentType(OCTETS).overrideConfiguration(quick()),
                    RequestBody.fromBytes(new byte[] {'o', 'k'}));
            client.deleteObject(r -> r.bucket(location.bucket()).key(key).overrideConfiguration(quick()));
            health.wrote();
            return null;
        });
    }

    private static void quick(AwsRequestOverrideConfiguration.Builder request) {
        request.apiCallTimeout(CHECK_TIMEOUT);
    }

    private static java.util.function.Consumer<AwsRequestOverrideConfiguration.Builder> quick() {
        return S3Bucket::quick;
    }

    boolean exists(String key) {
        return call("could not look for " + key, () -> {
            try {
                client.headObject(r -> r.bucket(location.bucket()).key(key));
                return true;
            } catch (S3Exception e) {
                if (isMissing(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * Writes {@code body} to {@code key} unless the key exists ({@code If-None-Match: *}, so of two nodes writing the
     * same blob exactly one stores it); whether this call stored it. A write whose answer was lost is sent again (by
     * the SDK, or by the JDK on a connection the server had closed), and then finds its own object: each write names
     * itself in the object's metadata, so a refusal is looked into before it is believed.
     */
    boolean putIfAbsent(String key, RequestBody body) {
        refuseWhileFailing(key);
        String writer = UUID.randomUUID().toString();
        return call("could not write " + key, () -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    client.putObject(r -> r.bucket(location.bucket()).key(key).ifNoneMatch("*").contentType(OCTETS)
                            .metadata(Map.of(WRITER, writer)), body);
                    health.wrote();
                    return true;
                } catch (S3Exception e) {
                    if (e.statusCode() == KEY_EXISTS) {
                        return writer.equals(writerOf(key));
                    }
                    if (e.statusCode() != WRITE_CONFLICT || attempt == WRITE_ATTEMPTS) {
                        throw e;
                    }
                    // The other write decides: asked again, the key is either taken (412) or free.
                } catch (SdkClientException e) {
                    // A server may refuse a key that is taken (412) as soon as it has the headers and close the
                    // connection, and the client then sees a write broken off, not the refusal: the bucket says.
                    // Or both of the SDK's tries met connections the server had closed in the pool: once more, unless
                    // the store was silent (a timeout), where trying again only holds the upload longer.
                    String stored = writerOf(key);
                    if (stored != null) {
                        health.wrote();
                        return writer.equals(stored);
                    }
                    if (attempt == WRITE_ATTEMPTS || S3Problems.timedOut(e)) {
                        throw e;
                    }
                }
            }
        });
    }

    /**
     * Refuses a write of {@code key} at once while the bucket is known to fail (an upload answered 503 now, not when
     * the store's timeouts run out); the probe every second, which writes without this, says when it works again.
     */
    void refuseWhileFailing(String key) {
        health.failure().ifPresent(failure -> {
            throw new StoreException("could not write " + key + " in " + location + ": the bucket has been failing"
                    + " since " + failure.since() + " (" + failure.cause() + ")", null);
        });
    }

    /** Which write stored the object at {@code key}, as it named itself; null if none did, or it is gone. */
    private String writerOf(String key) {
        try {
            return client.headObject(r -> r.bucket(location.bucket()).key(key)).metadata().get(WRITER);
        } catch (S3Exception e) {
            if (isMissing(e)) {
                return null;
            }
            throw e;
        }
    }

    /** The object's bytes, or null if there is no such object. */
    byte[] read(String key) {
        return call("could not read " + key, () -> {
            try {
                return client.getObjectAsBytes(r -> r.bucket(location.bucket()).key(key)).asByteArrayUnsafe();
            } catch (S3Exception e) {
                if (isMissing(e)) {
                    return null;
                }
                throw e;
            }
        });
    }

    /** The object as a stream the caller closes (with its length in the response), or null if there is none. */
    ResponseInputStream<GetObjectResponse> open(String key) {
        return call("could not read " + key, () -> {
            try {
                return client.getObject(r -> r.bucket(location.bucket()).key(key));
            } catch (S3Exception e) {
                if (isMissing(e)) {
                    return null;
                }
                throw e;
            }
        });
    }

    /** Copies {@code from} to {@code to} within the bucket; false if {@code from} is missing. */
    boolean copy(String from, String to) {
        return call("could not copy " + from + " to " + to, () -> {
            try {
                client.copyObject(r -> r.sourceBucket(location.bucket()).sourceKey(from)
                        .destinationBucket(location.bucket()).destinationKey(to));
                health.wrote();
                return true;
            } catch (S3Exception e) {
                if (isMissing(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Deletes {@code key}; deleting a missing key is no error (S3 cannot tell which it was). */
    void delete(String key) {
        call("could not delete " + key, () -> {
            client.deleteObject(r -> r.bucket(location.bucket()).key(key));
            health.wrote();
            return null;
        });
    }

    /**
     * Lists the keys under {@code prefix} in order, a page of up to {@code pageSize} at a time, giving each to
     * {@code each} until it returns false or {@code pages} pages have been read.
     */
    void list(String prefix, int pageSize, int pages, Predicate<String> each) {
        call("could not list " + prefix, () -> {
            String token = null;
            for (int page = 0; page < pages; page++) {
                String after = token;
                ListObjectsV2Response listed = client.listObjectsV2(r -> r.bucket(location.bucket()).prefix(prefix)
                        .maxKeys(pageSize).continuationToken(after));
                for (S3Object object : listed.contents()) {
                    if (!each.test(object.key())) {
                        return null;
                    }
                }
                if (!Boolean.TRUE.equals(listed.isTruncated())) {
                    return null;
                }
                token = listed.nextContinuationToken();
            }
            return null;
        });
    }

    /** Runs one or more requests; notes that the bucket answered, or tells a failure to the health and throws it. */
    private <T> T call(String doing, Supplier<T> requests) {
        try {
            T result;
            try {
                result = requests.get();
            } catch (SdkClientException e) {
                if (S3Problems.timedOut(e)) {
                    throw e;
                }
                // Both of the SDK's tries may have met connections the server closed while they sat in the pool:
                // once more, before the store is called failing (a store that refuses fails again at once).
                result = requests.get();
            }
            lastAnswerNanos = nanoTime.getAsLong();
            return result;
        } catch (SdkException e) {
            StoreException failure = new StoreException(doing + " in " + location + ": "
                    + S3Problems.describe(e, location), e);
            health.failed(failure);
            throw failure;
        }
    }

    /** A missing object; a missing bucket is the store's trouble, not an answer. */
    private static boolean isMissing(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e instanceof NoSuchKeyException
                || e.statusCode() == 404 && !(e instanceof NoSuchBucketException) && !"NoSuchBucket".equals(code);
    }
}
