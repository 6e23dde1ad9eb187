package io.thumbnail.internal.blob;

import java.time.Instant;
import java.util.function.Predicate;

/**
 * How blobs no job refers to leave a {@link BlobStore}: each deletion or move to the quarantine decided under the
 * store's {@link BlobGuard}, the quarantine restored from and emptied, and the stored hashes listed for the sweep of
 * unreferenced blobs. Each store makes its removals through an object of its own ({@link BlobStore#removals()}); the
 * store hands every call on. Failures are the store's, told to its health.
 */
public interface BlobRemovals {

    /**
     * Deletes the blob of {@code sha256} if nobody holds a pin on it and {@code referenced} says no row names it;
     * whether a blob was deleted.
     */
    boolean deleteIfUnreferenced(String sha256, Predicate<String> referenced);

    /**
     * Moves the blob of {@code sha256} to the quarantine (under the time {@code now}) if nobody holds a pin on it and
     * {@code referenced} says no row names it; whether it was moved.
     */
    boolean quarantineIfUnreferenced(String sha256, Predicate<String> referenced, Instant now);

    /** Moves the quarantined blobs {@code referenced} names back into the store; returns how many. */
    int restoreQuarantined(Predicate<String> referenced);

    /** Deletes the blobs quarantined before {@code cutoff}; returns how many. */
    int emptyQuarantine(Instant cutoff);

    /** How many blobs the quarantine holds. */
    long quarantined();

    /**
     * Deletes what interrupted writes left behind (unless its hash is pinned: a write in progress) and lists the stored
     * hashes, for the sweep of unreferenced blobs. The first call after opening may return what opening found.
     */
    BlobStore.Listing sweepLeftoversAndList();
}
