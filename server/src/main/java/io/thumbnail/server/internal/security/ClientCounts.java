package io.thumbnail.server.internal.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something each client holds (waiting requests, uploads in flight), at most {@code max} each. A client
 * holding none has no entry, so the clients that have come and gone cost nothing.
 */
final class ClientCounts {
    private final int max;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    ClientCounts(int max) {
        this.max = max;
    }

    int max() {
        return max;
    }

    /** Takes one for {@code client}; false, taking nothing, when it holds {@code max} already. */
    boolean tryEnter(String client) {
        boolean[] admitted = new boolean[1];
        counts.compute(client, (c, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < max;
            return admitted[0] ? now + 1 : n;
        });
        return admitted[0];
    }

    /** Gives one of {@code client}'s back. */
    void leave(String client) {
        counts.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    }

    int count(String client) {
        return counts.getOrDefault(client, 0);
    }
}
