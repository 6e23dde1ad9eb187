package io.thumbnail;

import java.util.Locale;

/** A job's life: {@code queued -> processing -> done | failed} (processing goes back to queued for a retry). */
public enum JobStatus {
    QUEUED, PROCESSING, DONE, FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinished() {
        return this == DONE || this == FAILED;
    }

    public static JobStatus parse(String value) {
        for (JobStatus s : values()) {
            if (s.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be one of queued, processing, done, failed (was '" + value + "')");
    }
}
