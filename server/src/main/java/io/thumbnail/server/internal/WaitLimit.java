package io.thumbnail.server.internal;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the requests one client may have waiting at once ({@code wait=N} long-polls and batch event streams): each
 * holds a server thread while it waits, so without a cap one client within its rate limit could hold them all.
 * {@link #close()} ends every wait at once, so a stopping server answers its waiting clients instead of holding them
 * until their connections are cut: a wait run through {@link Slot#await} is interrupted, and one not begun yet ends
 * as soon as it begins. Only the wait itself is interrupted, never the reading or writing around it.
 */
public final class WaitLimit {
    private final int maxPerClient;
    /** Waiting requests per client; a client with none has no entry. */
    private final Map<String, Integer> waiting = new ConcurrentHashMap<>();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public WaitLimit(int maxPerClient) {
        if (maxPerClient < 1) {
            throw new IllegalArgumentException("maxPerClient must be at least 1 (was " + maxPerClient + ")");
        }
        this.maxPerClient = maxPerClient;
    }

    /** A waiting request's place; closing it (once or more) frees it. */
    public interface Slot extends AutoCloseable {
        /**
         * Runs {@code wait} on the thread that took this place; {@link WaitLimit#close()} interrupts it.
         *
         * @throws InterruptedException when the limit is closed before or during the wait
         */
        <T> T await(Wait<T> wait) throws InterruptedException;

        @Override
        void close();
    }

    /** A blocking wait that ends early with {@link InterruptedException}. */
    @FunctionalInterface
    public interface Wait<T> {
        T run() throws InterruptedException;
    }

    /**
     * A place for one waiting request; refused with 429 when the client has none left,
     * and with 503 {@code unavailable} once this limit is closed.
     */
    public Slot enter(String client) {
        boolean[] admitted = new boolean[1];
        waiting.compute(client, (c, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < maxPerClient;
            return admitted[0] ? now + 1 : n;
        });
        if (!admitted[0]) {
            throw new RequestRefused(429, "rate_limited", "at most " + maxPerClient + " requests may wait at once"
                    + " (wait=N or event streams); try again when one has finished", Map.of("Retry-After", "1"));
        }
        Waiter waiter = new Waiter(client);
        waiters.add(waiter);
        // Added before looking: either close() finds this waiter or this sees closed.
        if (closed) {
            waiter.close();
            throw stopping();
        }
        return waiter;
    }

    /** Ends every wait now and refuses new ones. */
    public void close() {
        closed = true;
        waiters.forEach(Waiter::wake);
    }

    /** What a wait ended by {@link #close()} answers. */
    public static ThumbnailException stopping() {
        return new ThumbnailException(ErrorCode.UNAVAILABLE, "the server is shutting down; try again shortly");
    }

    /** Requests of {@code client} waiting now. */
    int waiting(String client) {
        return waiting.getOrDefault(client, 0);
    }

    private final class Waiter implements Slot {
        private final String client;
        /** The thread in {@link #await}, or null. */
        private Thread inWait;
        private boolean woken;
        private boolean done;

        Waiter(String client) {
            this.client = client;
        }

        synchronized void wake() {
            woken = true;
            if (inWait != null) {
                inWait.interrupt();
            }
        }

        @Override
        public <T> T await(Wait<T> wait) throws InterruptedException {
            synchronized (this) {
                if (woken) {
                    throw new InterruptedException("the server is stopping");
                }
                inWait = Thread.currentThread();
            }
            try {
                return wait.run();
            } finally {
                synchronized (this) {
                    inWait = null;
                    if (woken) {
                        // A wake that came as the wait ended must not disturb what the thread does next.
                        Thread.interrupted();
                    }
                }
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            waiters.remove(this);
            waiting.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
        }
    }
}
