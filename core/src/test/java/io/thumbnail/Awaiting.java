package io.thumbnail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what other threads or nodes bring about, bounded: a condition polled every 10 ms. */
final class Awaiting {
    private Awaiting() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} when {@code patience} passes first. */
    static void until(BooleanSupplier condition, String what, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
