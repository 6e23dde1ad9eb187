package io.thumbnail.internal.health;

import java.time.Clock;
import java.util.Optional;

/** The health of both stores a service writes to: the job database and the blob folder. */
public record StorageHealth(StoreHealth database, StoreHealth blobs) {

    /** Both stores, healthy until told otherwise, timed by {@code clock}. */
    public static StorageHealth of(Clock clock) {
        return new StorageHealth(new StoreHealth("the job database", clock), new StoreHealth("the blob store", clock));
    }

    /** The service closes both stores: see {@link StoreHealth#close}. */
    public void close() {
        database.close();
        blobs.close();
    }

    /** Whether both stores can be written (as far as their last operations tell). */
    public boolean writable() {
        return database.writable() && blobs.writable();
    }

    /** A store failing now: which ("the blob store") and why. */
    public record Failing(String store, String cause) {
    }

    /** The store failing now, the database first; empty while both work. */
    public Optional<Failing> failing() {
        for (StoreHealth store : new StoreHealth[] {database, blobs}) {
            Optional<StoreHealth.Failure> failure = store.failure();
            if (failure.isPresent()) {
                return Optional.of(new Failing(store.name(), failure.get().cause()));
            }
        }
        return Optional.empty();
    }
}
