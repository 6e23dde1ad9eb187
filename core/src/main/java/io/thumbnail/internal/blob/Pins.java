package io.thumbnail.internal.blob;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The pins of a {@link BlobStore}: how many writers hold each hash, and a per-hash lock under which a deletion decides,
 * so that a pin taken meanwhile waits for the decision and a pinned blob is never deleted.
 */
public final class Pins {
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    /** Pins {@code sha256} until the returned pin is closed (once). */
    public BlobStore.Pin pin(String sha256) {
        held.merge(sha256, 1, Integer::sum);
        return () -> held.computeIfPresent(sha256, (k, n) -> n == 1 ? null : n - 1);
    }

    public boolean isPinned(String sha256) {
        return held.containsKey(sha256);
    }

    /**
     * Runs {@code action} on {@code sha256} if it is not pinned, holding the hash's lock throughout (a {@link #pin} of
     * it waits); returns what {@code action} returned, or false if pinned.
     */
    public boolean ifUnpinned(String sha256, Function<String, Boolean> action) {
        boolean[] done = {false};
        // compute() holds the per-key lock, so a pin() of the same hash waits until the decision is made.
        held.compute(sha256, (k, n) -> {
            if (n == null) {
                done[0] = action.apply(k);
            }
            return n;
        });
        return done[0];
    }
}
