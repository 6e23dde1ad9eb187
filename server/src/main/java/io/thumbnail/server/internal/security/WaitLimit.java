package io.thumbnail.server.internal.security;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the requests one client may have waiting at once ({@code wait=N} long-polls and batch event streams). None
 * holds a thread while it waits, but each holds a connection and a listener on the service's job events, so one
 * client within its rate limit could otherwise open them without end. A closing service ends the waits itself.
 */
public final class WaitLimit {
    private final ClientCounts waiting;

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
    }

    /** A place for one waiting request; refused with 429 when the client has none left. */
    public Slot enter(String client) {
        if (!waiting.tryEnter(client)) {
            throw new RequestRefused(429, "rate_limited", "at most " + waiting.max() + " requests may wait at once"
                    + " (wait=N or event streams); try again when one has finished", Map.of("Retry-After", "1"));
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                waiting.leave(client);
            }
        };
    }

    /** Requests of {@code client} waiting now. */
    int waiting(String client) {
        return waiting.count(client);
    }
}
