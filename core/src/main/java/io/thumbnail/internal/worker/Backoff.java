package io.thumbnail.internal.worker;

import java.time.Duration;

/** Exponential backoff: the first retry waits {@code base}, each later one twice as long, capped at {@code max}. */
public record Backoff(Duration base, Duration max) {

    /** The wait before the next try, after {@code attempts} tries have failed (attempts >= 1). */
    public Duration delayAfter(int attempts) {
        int doublings = Math.min(Math.max(0, attempts - 1), 30);
        Duration delay = base.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
