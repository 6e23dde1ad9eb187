package io.thumbnail.server.internal.http;

import io.thumbnail.JobError;

/** Asking for the thumbnail of a job that failed: answered 422 with the job's own error code. */
public final class JobFailedException extends RuntimeException {
    private final JobError error;

    public JobFailedException(JobError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public JobError error() {
        return error;
    }
}
