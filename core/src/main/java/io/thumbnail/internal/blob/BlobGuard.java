package io.thumbnail.internal.blob;

import java.util.function.Predicate;

/**
 * Keeps a blob that a job is coming to need from being deleted. A writer {@link #pin pins} a hash before it writes or
 * looks for the blob, and closes the pin once the row naming it is committed; a blob is removed only under its hash's
 * lock, while nobody holds a pin on it and no row names it, and a pin taken meanwhile waits for that decision (and
 * then finds the blob gone, and writes it again).
 *
 * <p>{@link Pins} holds pins in this process: enough where one process uses the store (the local disk, under the data
 * directory's lock). Nodes sharing a bucket must share their pins too, or a deletion on one node could remove a blob
 * another node's new job has just found stored: they hold them in the database they share.
 *
 * <p>Implementations check the pins before the references: a pin is closed only after its row is committed, so a
 * decision that finds no pin finds the row.
 */
public interface BlobGuard {

    /** Pins {@code sha256} until the returned pin is closed (once); waits while a removal of it is being decided. */
    BlobStore.Pin pin(String sha256);

    /**
     * Runs {@code removal} on {@code sha256} if nobody holds a pin on it and {@code referenced} says no row names it,
     * holding the hash's lock from the checks to the end of the removal; returns what {@code removal} returned, or
     * false if the blob is in use.
     */
    boolean removeIfUnused(String sha256, Predicate<String> referenced, Predicate<String> removal);
}
