package io.thumbnail.internal.health;

import io.thumbnail.internal.time.Sleeper;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a write to a store again while the store fails ({@link StoreException}), for a few seconds: for the writes
 * whose loss costs more than the wait (a finished job's completion, a publication's outcome), a blip of the database
 * (a dropped connection, a failover, a lock held past its timeout) is waited out rather than given up on at its first
 * failure. The waits are a quarter of a second, doubling, so the later tries come after the failing store's probe
 * (once a second) has had time to find it back; in all they stay under four seconds, far within any lease the caller
 * holds meanwhile.
 *
 * <p>A try that failed may have committed before its connection broke: {@link Tried#retried()} tells the caller to
 * look at the row when a later try finds the write no longer applies.
 */
public final class OutageRetry {
    /** Tries in all. */
    public static final int TRIES = 5;
    private static final Duration FIRST_WAIT = Duration.ofMillis(250);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);

    /** What the write returned, and whether an earlier try of it had failed. */
    public record Tried<T>(T value, boolean retried) {
    }

    private final Sleeper sleeper;

    public OutageRetry(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** The wait after the {@code tried}-th failed try (1 or more). */
    static Duration waitAfter(int tried) {
        Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(tried - 1, 16));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    /**
     * Runs {@code write} until it returns, at most {@link #TRIES} times.
     *
     * @throws StoreException the store's failure, once every try has failed or the wait between two was interrupted
     *                        (a stop; the interrupt is kept)
     */
    public <T> Tried<T> run(Supplier<T> write) {
        for (int tried = 1; ; tried++) {
            try {
                return new Tried<>(write.get(), tried > 1);
            } catch (StoreException e) {
                if (tried >= TRIES) {
                    throw e;
                }
                try {
                    sleeper.sleep(waitAfter(tried));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
