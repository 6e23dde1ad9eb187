package io.thumbnail;

import java.util.Locale;

/**
 * How soon a queued job is served: every {@code high} job before any {@code normal} one, every {@code normal} before
 * any {@code low}, first come first served within each. A {@code low} job that has waited longer than the service's
 * {@link ThumbnailServiceBuilder#priorityAging priority aging} is served as {@code normal}, so a steady stream of
 * other work never starves it.
 */
public enum Priority {
    HIGH, NORMAL, LOW;

    /** The lower-case name the REST API and the job's JSON use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The priority named {@code value} (any case), or {@code invalid_request} naming the allowed ones. */
    public static Priority parse(String value) {
        for (Priority p : values()) {
            if (p.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return p;
            }
        }
        throw new ThumbnailException(ErrorCode.INVALID_REQUEST,
                "priority must be one of high, normal, low (was '" + value + "')");
    }
}
