package io.thumbnail.internal.jobs;

import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailContent;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.MissingBlob;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.store.JobStore;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Finding jobs, batches and thumbnails for a caller, with the errors the API promises: {@code not_found},
 * {@code not_ready}, the job's own. Every lookup takes an owner: a job or batch of another owner is simply not found,
 * so an answer never tells one owner what another has (null: a caller who may see every owner's).
 */
public final class JobLookup {
    private final JobStore store;
    private final BlobStore blobs;
    private final Publishers publishers;
    private final Consumer<Job> deleted;

    /**
     * @param publishers the publish targets a listing may filter by
     * @param deleted    told of each job {@link #delete} deleted, once committed (it deletes the job's files)
     */
    public JobLookup(JobStore store, BlobStore blobs, Publishers publishers, Consumer<Job> deleted) {
        this.store = store;
        this.blobs = blobs;
        this.publishers = publishers;
        this.deleted = deleted;
    }

    public Optional<Job> find(UUID id, String owner) {
        Objects.requireNonNull(id, "id");
        return store.get(id).filter(job -> visible(job.owner(), owner));
    }

    /** The job, if {@code owner} may see it; {@code not_found} otherwise. */
    public Job existing(UUID id, String owner) {
        return find(id, owner).orElseThrow(() -> notFound(id));
    }

    /** The job if it is done; {@code not_found} if unknown, {@code not_ready} if not finished, its error if failed. */
    public Job done(UUID id, String owner) {
        Job job = existing(id, owner);
        switch (job.status()) {
            case DONE:
                return job;
            case FAILED:
                throw new ThumbnailException(job.error().code(), job.error().message());
            default:
                throw new ThumbnailException(ErrorCode.NOT_READY, "job " + id + " is " + job.status().id()
                        + "; its thumbnail is not ready yet");
        }
    }

    public Optional<Batch> batch(UUID id, String owner) {
        Objects.requireNonNull(id, "id");
        return store.batch(id).filter(batch -> visible(batch.owner(), owner));
    }

    public Page<Job> list(JobQuery query) {
        Objects.requireNonNull(query, "query");
        publishers.checkFilter(query.published());
        return store.list(query);
    }

    /** Deletes the job if {@code owner} may see it; returns it as it was, or empty. */
    public Optional<Job> delete(UUID id, String owner) {
        if (find(id, owner).isEmpty()) {
            return Optional.empty();
        }
        Optional<Job> gone = store.delete(id);
        gone.ifPresent(deleted);
        return gone;
    }

    public byte[] thumbnailBytes(UUID id, String owner) {
        String sha256 = done(id, owner).result().sha256();
        try {
            return blobs.read(sha256);
        } catch (ThumbnailException e) {
            throw deletedMeanwhile(id, owner, e);
        }
    }

    /** The thumbnail in {@code format} (its result's or its fallback's), or in its result's format when null. */
    public ThumbnailContent openThumbnail(UUID id, String owner, ImageFormat format) {
        JobResult result = done(id, owner).result();
        if (format == null || result.format() == format) {
            return open(id, owner, result.sha256(), result.format());
        }
        if (result.fallback() != null && result.fallback().format() == format) {
            return open(id, owner, result.fallback().sha256(), format);
        }
        throw new ThumbnailException(ErrorCode.NOT_FOUND, "job " + id + " has no " + format.id() + " thumbnail");
    }

    private ThumbnailContent open(UUID id, String owner, String sha256, ImageFormat format) {
        try {
            BlobStore.Content content = blobs.open(sha256);
            return new ThumbnailContent(content.stream(), content.length(), format, sha256);
        } catch (ThumbnailException e) {
            throw deletedMeanwhile(id, owner, e);
        }
    }

    /**
     * What to throw when job {@code id}'s thumbnail could not be read: {@code not_found} when the job itself is gone
     * (deleted, or expired, between its lookup and the read, which then found its file deleted with it), else
     * {@code failure} as it is.
     */
    private ThumbnailException deletedMeanwhile(UUID id, String owner, ThumbnailException failure) {
        if (failure.code() == ErrorCode.IO_ERROR && find(id, owner).isEmpty()) {
            return notFound(id);
        }
        if (failure instanceof MissingBlob) {
            // Not a store failing for now: trying again later would find it missing again.
            return new ThumbnailException(ErrorCode.NOT_FOUND, "the thumbnail of job " + id + " is missing from the"
                    + " store (" + failure.getMessage() + "); its file was removed outside the service", failure);
        }
        return failure;
    }

    public static ThumbnailException notFound(UUID id) {
        return new ThumbnailException(ErrorCode.NOT_FOUND, "no job with id " + id);
    }

    /** Whether a thing of {@code owner} may be seen by {@code caller} (null: a caller who sees every owner's). */
    static boolean visible(String owner, String caller) {
        return caller == null || caller.equals(owner);
    }
}
