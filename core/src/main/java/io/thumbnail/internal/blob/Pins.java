package io.thumbnail.internal.blob;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The pins of a blob store only this process uses: how many writers hold each hash, and a per-hash lock under which a
 * removal decides, so that a pin taken meanwhile waits for the decision and a pinned blob is never removed.
 */
public final class Pins implements BlobGuard {
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    @Override
    public BlobStore.Pin pin(String sha256) {
        held.merge(sha256, 1, Integer::sum);
        return () -> held.computeIfPresent(sha256, (k, n) -> n == 1 ? null : n - 1);
    }

    public boolean isPinned(String sha256) {
        return held.containsKey(sha256);
    }

    @Override
    public boolean removeIfUnused(String sha256, Predicate<String> referenced, Predicate<String> removal) {
        boolean[] done = {false};
        // compute() holds the per-key lock, so a pin() of the same hash waits until the decision is made.
        held.compute(sha256, (k, n) -> {
            if (n == null && !referenced.test(k)) {
                done[0] = removal.test(k);
            }
            return n;
        });
        return done[0];
    }
}
