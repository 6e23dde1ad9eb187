package io.thumbnail.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A wait deaf to interrupts, as a read from a network mount that stopped answering is: tests' hung tasks. */
final class DeafWait {
    private DeafWait() {
    }

    /** Waits for {@code latch}, whatever interrupts come meanwhile. */
    static void until(CountDownLatch latch) {
        boolean done = false;
        while (!done) {
            try {
                done = latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException deaf) {
                // not noticed
            }
        }
    }
}
