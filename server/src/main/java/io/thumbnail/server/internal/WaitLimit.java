package io.thumbnail.server.internal;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the requests one client may have waiting at once ({@code wait=N} long-polls and batch event streams). None
 * holds a thread while it waits, but each holds a connection and a listener on the service's job events, so one
 * client within its rate limit could otherwise open them without end.
 */
public final class WaitLimit {
    private final ClientCounts waiting;
    private final Set<Place> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public WaitLimit(int maxPerClient) {
        if (maxPerClient < 1) {
            throw new IllegalArgumentException("maxPerClient must be at least 1 (was " + maxPerClient + ")");
        }
        this.waiting = new ClientCounts(maxPerClient);
    }

    /** A waiting request's place; closing it (once or more) frees it. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();

        /**
         * What ends this wait early when the server stops (answer now, with what there is); run at once if the server
         * is stopping already. A later call replaces an earlier one.
         */
        void onStop(Runnable action);
    }

    /** A place for one waiting request; refused with 429 when the client has none left, 503 once stopping. */
    public Slot enter(String client) {
        if (stopping) {
            throw shuttingDown();
        }
        if (!waiting.tryEnter(client)) {
            throw new RequestRefused(429, "rate_limited", "at most " + waiting.max() + " requests may wait at once"
                    + " (wait=N or event streams); try again when one has finished", Map.of("Retry-After", "1"));
        }
        Place place = new Place(client);
        open.add(place);
        return place;
    }

    /**
     * Ends every wait now, each with its {@link Slot#onStop} action, and refuses new ones: the server is stopping,
     * and waits no longer hold a thread that stopping would interrupt.
     */
    public void stopAll() {
        stopping = true;
        open.forEach(Place::stop);
    }

    /** What a wait refused or ended by stopping answers: 503 {@code unavailable}, with {@code Retry-After}. */
    public static ThumbnailException shuttingDown() {
        return new ThumbnailException(ErrorCode.UNAVAILABLE, "the server is shutting down; try again shortly");
    }

    /** Requests of {@code client} waiting now. */
    int waiting(String client) {
        return waiting.count(client);
    }

    private final class Place implements Slot {
        private final String client;
        private final AtomicBoolean closed = new AtomicBoolean();
        private Runnable onStop;
        private boolean stopped;

        Place(String client) {
            this.client = client;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                open.remove(this);
                waiting.leave(client);
            }
        }

        @Override
        public void onStop(Runnable action) {
            boolean now;
            synchronized (this) {
                onStop = action;
                now = stopped;
            }
            if (now) {
                action.run();
            }
        }

        void stop() {
            Runnable action;
            synchronized (this) {
                stopped = true;
                action = onStop;
            }
            if (action != null) {
                action.run();
            }
        }
    }
}
