package io.thumbnail.internal.jobs;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.store.JobStore;

import java.util.UUID;

/** Finding a job for its caller, with the errors the API promises: {@code not_found}, {@code not_ready}, the job's own. */
public final class JobLookup {
    private final JobStore store;

    public JobLookup(JobStore store) {
        this.store = store;
    }

    /** The job, if it exists; {@code not_found} otherwise. */
    public Job existing(UUID id) {
        return store.get(id).orElseThrow(() -> notFound(id));
    }

    /** The job if it is done; {@code not_found} if unknown, {@code not_ready} if not finished, its error if failed. */
    public Job done(UUID id) {
        Job job = existing(id);
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

    public static ThumbnailException notFound(UUID id) {
        return new ThumbnailException(ErrorCode.NOT_FOUND, "no job with id " + id);
    }
}
