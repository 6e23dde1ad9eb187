package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.Thumbnail;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.image.Sha256;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Marks a job done, if this node still holds it: with the thumbnail a worker made (stored first, forced to disk), or
 * with the result of a done twin (dedupe at run time); then hands it to publishing if it asked to be published.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);

    private final JobStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final String nodeId;
    private final Consumer<UUID> publish;

    Completions(JobStore store, BlobStore blobs, Clock clock, String nodeId, Consumer<UUID> publish) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.nodeId = nodeId;
        this.publish = publish;
    }

    /** Stores the thumbnail (forced to disk) and marks the job done, if this node still holds it. */
    void record(Job job, Thumbnail thumbnail) {
        String sha = Sha256.hex(thumbnail.bytes());
        Thumbnail.Fallback fallback = thumbnail.fallback();
        JobResult result = new JobResult(thumbnail.format(), thumbnail.width(), thumbnail.height(),
                thumbnail.bytes().length, sha, fallback == null ? null : new JobResult.Fallback(fallback.format(),
                fallback.bytes().length, Sha256.hex(fallback.bytes())));
        boolean recorded = false;
        try (BlobStore.Pin pin = blobs.pin(sha);
             BlobStore.Pin fallbackPin = fallback == null ? null : blobs.pin(result.fallback().sha256())) {
            blobs.write(sha, thumbnail.bytes());
            if (fallback != null) {
                blobs.write(result.fallback().sha256(), fallback.bytes());
            }
            recorded = store.complete(job.id(), nodeId, result, now()).isPresent();
            if (!recorded) {
                log.warn("job {} finished after its lease was lost (deleted or taken over); result dropped", job.id());
            } else if (job.publication() != null) {
                publish.accept(job.id());
            }
        } finally {
            if (!recorded) {
                result.files().forEach(file -> blobs.deleteIfUnreferenced(file, store::references));
            }
        }
    }

    /** Dedupe at run time: an identical job of the same owner finished while this one waited in the queue. */
    boolean completeFrom(Job job, Job done) {
        JobResult result = done.result();
        try (BlobStore.Pin pin = blobs.pin(result.sha256());
             BlobStore.Pin fallbackPin = result.fallback() == null ? null : blobs.pin(result.fallback().sha256())) {
            if (!result.files().stream().allMatch(blobs::exists)) {
                return false;
            }
            if (store.complete(job.id(), nodeId, result, now()).isPresent() && job.publication() != null) {
                publish.accept(job.id());
            }
            return true;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
