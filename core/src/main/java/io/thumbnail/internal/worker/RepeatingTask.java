package io.thumbnail.internal.worker;

import io.thumbnail.internal.health.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run every so often for as long as its scheduler lives. A failure is logged and the task runs again at its
 * next turn: an exception escaping a scheduled task would cancel it for good. A store that is down says so through its
 * health already, so its failures are logged at debug only.
 */
public final class RepeatingTask {
    private static final Logger log = LoggerFactory.getLogger(RepeatingTask.class);

    private RepeatingTask() {
    }

    /** Runs {@code task}, named {@code name} in the log, every {@code period} on {@code scheduler}. */
    public static void every(ScheduledExecutorService scheduler, Duration period, String name, Runnable task) {
        long millis = Math.max(1, period.toMillis());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (StoreException e) {
                log.debug("{} failed on a store; will try again: {}", name, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{} failed; will try again", name, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }
}
