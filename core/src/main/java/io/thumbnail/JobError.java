package io.thumbnail;

import java.util.Objects;

/** Why a job (or its publication) failed: a stable {@link ErrorCode} and a message for people. */
public record JobError(ErrorCode code, String message) {
    public JobError {
        Objects.requireNonNull(code, "code");
    }

    /** The error a {@link ThumbnailException} describes. */
    public static JobError of(ThumbnailException e) {
        return new JobError(e.code(), e.getMessage());
    }
}
