package io.thumbnail.internal.store.postgres;

import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.PublicationLeaseContract;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publication leases' contract on a real PostgreSQL, each test on a fresh schema, with the tests' times; and what
 * a store several nodes share adds: a starting node lets go only of its own leases.
 */
class PostgresPublicationLeaseTest extends PublicationLeaseContract {
    private static final AtomicInteger schemas = new AtomicInteger();
    private static String database;
    private String url;

    @BeforeAll
    static void database() {
        database = TestPostgres.get().newDatabase("publications");
    }

    @Override
    protected JobStore openStore() {
        url = PostgresFixtures.freshSchema(database, "p" + schemas.incrementAndGet());
        return PostgresJobStore.open(url, "test-node", false, job -> { },
                new StoreHealth("the job database", Clock.systemUTC()));
    }

    @Override
    protected String leaseHolder(UUID id) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT publish_owner FROM jobs WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void releasing_at_start_leaves_the_other_nodes_leases_alone() throws Exception {
        UUID mine = pending();
        UUID others = pending();
        claim(mine, "restarting", T0);
        claim(others, "still-running", T0);

        assertThat(store.publications().release("restarting")).as("leases let go").isEqualTo(1);

        assertThat(leaseHolder(others)).as("holder of the other node's").isEqualTo("still-running");
        assertThat(store.publications().claimable("restarting", T0.plusSeconds(1))).as("claimable by the restarted")
                .containsExactly(mine);
    }
}
