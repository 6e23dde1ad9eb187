package io.thumbnail.internal.health;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** A store's health as its operations report it. */
class StoreHealthTest {
    private final StoreHealth health = new StoreHealth("the blob store", Clock.systemUTC());

    @Test
    void a_failed_operation_makes_the_store_failing_until_a_write_works() {
        health.failed(new StoreException("could not write: No space left on device", null));
        assertThat(health.writable()).as("after a failed write").isFalse();

        health.wrote();

        assertThat(health.writable()).as("after a write that worked").isTrue();
    }

    @Test
    void a_store_on_a_disk_without_room_stays_failing_after_a_small_write_works() {
        health.recoversWithRoomIn(Path.of(System.getProperty("java.io.tmpdir")), Long.MAX_VALUE);
        health.failed(new StoreException("could not write: No space left on device", null));

        health.wrote();

        assertThat(health.writable()).as("after a small write, on a disk without the room asked for").isFalse();
        health.recoversWithRoomIn(Path.of(System.getProperty("java.io.tmpdir")), 1);
        health.wrote();
        assertThat(health.writable()).as("after a write, with room").isTrue();
    }

    @Test
    void a_failure_reported_by_an_interrupted_thread_is_ignored() {
        Thread.currentThread().interrupt(); // as a job's time limit or a delete interrupts its worker
        try {
            health.failed(new StoreException("the job database failed: Interrupted during connection acquisition",
                    null));
        } finally {
            Thread.interrupted();
        }

        assertThat(health.writable()).as("the store, after an operation cut short by an interrupt").isTrue();
    }

    @Test
    void a_failure_reported_once_its_service_closed_is_ignored() {
        health.close();

        health.failed(new StoreException("the job database failed: the pool has been closed", null));

        assertThat(health.writable()).as("a closed service's store, used by a thread the service left behind")
                .isTrue();
        assertThat(health.failure()).as("the failure shown").isEmpty();
    }
}
