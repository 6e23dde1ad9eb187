package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.source.UrlSourceLoader;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fetches a URL job's image on the worker's thread, once for every job claimed with it that names the same URL (the
 * renditions of one image), stores it by content like an upload and records its size, format and sha256 on each job,
 * so dedupe and retries work from there on exactly as for uploads.
 */
final class UrlFetches {
    private static final Logger log = LoggerFactory.getLogger(UrlFetches.class);

    private final UrlSourceLoader urlSources;
    private final JobStore store;
    private final BlobStore blobs;
    private final String nodeId;
    private final int maxAttempts;

    /**
     * {@code urlSources} null: this service fetches nothing, and URL jobs fail with {@code source_blocked};
     * {@code maxAttempts}: the service's, to know a job's last try.
     */
    UrlFetches(UrlSourceLoader urlSources, JobStore store, BlobStore blobs, String nodeId, int maxAttempts) {
        this.urlSources = urlSources;
        this.store = store;
        this.blobs = blobs;
        this.nodeId = nodeId;
        this.maxAttempts = maxAttempts;
    }

    /** The jobs with their source recorded (those whose lease was lost meanwhile left out), and the bytes fetched. */
    record Fetched(List<Job> jobs, byte[] bytes) {
    }

    /**
     * A source that could not be reached ({@code io_error}: no connection, a 5xx; {@code timeout}: no whole answer in
     * time), which is tried again, becomes {@code source_unreachable} on the job's last try: the failure is the
     * source's, not this service's storage or its job time limit, which those codes name once nothing is retried.
     */
    private ThumbnailException onLastTry(Job job, ThumbnailException e) {
        if (e.code() != ErrorCode.IO_ERROR && e.code() != ErrorCode.TIMEOUT || job.attempts() < maxAttempts) {
            return e;
        }
        return new ThumbnailException(ErrorCode.SOURCE_UNREACHABLE, e.getMessage() + " (tried " + job.attempts()
                + (job.attempts() == 1 ? " time)" : " times)"), e);
    }

    /** Fetches the image {@code jobs} (all naming one URL) share. */
    Fetched fetch(List<Job> jobs) {
        if (urlSources == null) {
            throw new ThumbnailException(ErrorCode.SOURCE_BLOCKED, "this service does not fetch URL sources");
        }
        UrlSourceLoader.Loaded loaded;
        try {
            loaded = urlSources.load(jobs.get(0).source().url());
        } catch (ThumbnailException e) {
            throw onLastTry(jobs.get(0), e);
        }
        String sha = loaded.info().sha256();
        List<Job> recorded = new ArrayList<>(jobs.size());
        try (BlobStore.Pin pin = blobs.pin(sha)) {
            blobs.write(sha, loaded.bytes());
            for (Job job : jobs) {
                JobSource known = new JobSource(job.source().name(), loaded.info().bytes(), loaded.info().format(),
                        loaded.info().width(), loaded.info().height(), sha, job.source().url());
                Optional<Job> kept = store.recordSource(job.id(), nodeId, known);
                if (kept.isPresent()) {
                    recorded.add(kept.get());
                } else {
                    log.warn("job {} lost its lease while fetching its source; left to its new holder", job.id());
                }
            }
        }
        if (recorded.isEmpty()) {
            blobs.deleteIfUnreferenced(sha, store::references);
        }
        return new Fetched(recorded, loaded.bytes());
    }
}
