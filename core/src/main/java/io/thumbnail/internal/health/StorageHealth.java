package io.thumbnail.internal.health;

import java.time.Clock;

/** The health of both stores a service writes to: the job database and the blob folder. */
public record StorageHealth(StoreHealth database, StoreHealth blobs) {

    /** Both stores, healthy until told otherwise, timed by {@code clock}. */
    public static StorageHealth of(Clock clock) {
        return new StorageHealth(new StoreHealth("the job database", clock), new StoreHealth("the blob store", clock));
    }

    /** Whether both stores can be written (as far as their last operations tell). */
    public boolean writable() {
        return database.writable() && blobs.writable();
    }
}
