package io.thumbnail.internal.time;

import java.time.Duration;

/** Waits between attempts; {@code Thread::sleep} in production, a recorder in tests so nothing really waits. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
