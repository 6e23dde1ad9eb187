package io.thumbnail.server.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the requests one client may have waiting at once ({@code wait=N} long-polls and batch event streams): each
 * holds a server thread while it waits, so without a cap one client within its rate limit could hold them all.
 */
public final class WaitLimit {
    private final int maxPerClient;
    /** Waiting requests per client; a client with none has no entry. */
    private final Map<String, Integer> waiting = new ConcurrentHashMap<>();

    public WaitLimit(int maxPerClient) {
        if (maxPerClient < 1) {
            throw new IllegalArgumentException("maxPerClient must be at least 1 (was " + maxPerClient + ")");
        }
        this.maxPerClient = maxPerClient;
    }

    /** A waiting request's place; closing it (once or more) frees it. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A place for one waiting request; refused with 429 when the client has none left. */
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
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                waiting.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    /** Requests of {@code client} waiting now. */
    int waiting(String client) {
        return waiting.getOrDefault(client, 0);
    }
}
