package io.thumbnail.internal.store.postgres;

import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A lost connection makes calls fail at once until a probe gets through; that must hold however the threads
 * interleave, or a node refuses all work while its database is fine.
 */
class PostgresReachabilityTest {
    @Test
    void a_lost_connection_reported_after_another_call_found_the_database_working_still_gets_it_probed_and_used() {
        String url = PostgresFixtures.freshSchema(TestPostgres.get().newDatabase("reachability"), "s1");
        StoreHealth health = new StoreHealth("the job database", Clock.systemUTC());
        try (PostgresJobStore store = (PostgresJobStore) PostgresJobStore.open(url, "n1", true, job -> { }, health)) {
            assertThatThrownBy(() -> store.calls().write(c -> {
                Sql.query(c, "SELECT pg_terminate_backend(pg_backend_pid())", rs -> rs.next());
                return List.of();
            })).as("a call whose connection is cut").isInstanceOf(StoreException.class);
            // Another thread's call, under way before the cut, got through and marked the store working.
            health.wrote();

            assertThatThrownBy(() -> store.get(UUID.randomUUID())).as("a call while the database is thought gone")
                    .isInstanceOf(StoreException.class);
            assertThat(health.writable()).as("the store's health after that call").isFalse();
            assertThat(health.probeDue()).as("a probe due").isTrue();
            store.probeWrite();

            assertThat(store.get(UUID.randomUUID())).as("a read once the probe got through").isEmpty();
            assertThat(health.writable()).as("the store's health once the probe got through").isTrue();
        }
    }
}
