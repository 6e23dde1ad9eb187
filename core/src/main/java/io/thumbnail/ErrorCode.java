package io.thumbnail;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Stable, machine-readable error codes. The {@link #id()} strings are part of the public contract:
 * they appear in job records, REST error bodies and CLI output, and never change meaning.
 */
public enum ErrorCode {
    /** The bytes are not an image format this service decodes (sniffed from content, never the name). */
    UNSUPPORTED_FORMAT(false),
    /** The bytes claim a supported format but are truncated or malformed. */
    CORRUPT_IMAGE(false),
    /** The input is larger than {@link Limits#maxInputBytes()}. */
    TOO_LARGE(false),
    /** The image header declares more pixels than {@link Limits#maxPixels()}. */
    TOO_MANY_PIXELS(false),
    /** A {@link ThumbnailSpec} or option value is out of range. */
    INVALID_SPEC(false),
    /** A request to a front end (REST option, query parameter, CLI flag) is malformed; the message names it. */
    INVALID_REQUEST(false),
    /** Reading or writing bytes failed for a reason that may go away on retry. */
    IO_ERROR(true),
    /** The service holds its maximum number of queued jobs; retry later. */
    QUEUE_FULL(false),
    /** No job or batch with that id (or not visible to the caller). */
    NOT_FOUND(false),
    /** The job exists but has no thumbnail yet (queued or processing). */
    NOT_READY(false),
    /** The job ran out of time (decode or fetch took longer than allowed). */
    TIMEOUT(true),
    /** The service is closed or shutting down; another instance, or this one after a restart, may take the request. */
    UNAVAILABLE(true),
    /** An unexpected fault inside the service; the message never carries internals. */
    INTERNAL(true),
    /** A source URL was refused before any connection: a private or otherwise internal address, user-info, or a scheme other than http(s). */
    SOURCE_BLOCKED(false),
    /** A source URL answered with a client error (4xx), too many redirects or no usable response; the message carries the HTTP status. */
    SOURCE_UNREACHABLE(false),
    /** The thumbnail was made but publishing it (for example to Imgur) failed; the thumbnail itself is unaffected. */
    PUBLISH_FAILED(false);

    private final boolean transientFailure;

    ErrorCode(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    /** The lower-case wire name, for example {@code too_many_pixels}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when retrying the same work may succeed (I/O, network); false for faults of the input. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Looks up a code by its {@link #id()}; throws {@link IllegalArgumentException} if unknown. */
    public static ErrorCode fromId(String id) {
        for (ErrorCode code : values()) {
            if (code.id().equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return code;
            }
        }
        throw new IllegalArgumentException("no error code is '" + id + "'; the codes are "
                + Arrays.stream(values()).map(ErrorCode::id).collect(Collectors.joining(", ")));
    }
}
