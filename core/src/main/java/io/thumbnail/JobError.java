package io.thumbnail;

/** Why a job failed: a stable {@link ErrorCode#id()} and a message for people. */
public record JobError(String code, String message) {
}
