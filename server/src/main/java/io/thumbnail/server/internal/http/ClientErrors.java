package io.thumbnail.server.internal.http;

import io.thumbnail.ErrorCode;
import io.thumbnail.JobError;

import java.util.regex.Pattern;

/**
 * A failed job's error as a client may see it. Core's messages are written for whoever runs the service and can
 * name files under the data directory ("could not write /srv/data/blobs/ab/...: No space left on device"); the
 * client gets the same code and message with such paths masked, and an internal error says nothing of its cause.
 */
public final class ClientErrors {
    /** An absolute path of two or more parts, not the path of a URL (which follows a host, a colon or a slash). */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w:/.])/(?:[\\w.@+-]+/)+[\\w.@+-]*");
    static final String MASK = "[path]";
    static final String INTERNAL = "an unexpected error occurred; it has been logged";

    private ClientErrors() {
    }

    /** The error as the REST API shows it ({@code {"code", "message"}}), or null for none. */
    public static ErrorResponses.Detail detail(JobError error) {
        JobError shown = of(error);
        return shown == null ? null : new ErrorResponses.Detail(shown.code().id(), shown.message());
    }

    public static JobError of(JobError error) {
        if (error == null) {
            return null;
        }
        if (error.code() == ErrorCode.INTERNAL) {
            return new JobError(error.code(), INTERNAL);
        }
        String message = error.message();
        return message == null ? error : new JobError(error.code(), ABSOLUTE_PATH.matcher(message).replaceAll(MASK));
    }
}
