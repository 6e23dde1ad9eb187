package io.thumbnail.internal.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The publication leases' contract on a real SQLite file, and what a store only one node uses at a time adds. */
class SqlitePublicationLeaseTest extends PublicationLeaseContract {
    @TempDir
    Path dir;

    @Override
    protected JobStore openStore() {
        return SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { });
    }

    @Override
    protected String leaseHolder(UUID id) throws Exception {
        try (Connection c = ((SqliteJobStore) store).database().readers().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT publish_owner FROM jobs WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void releasing_at_start_lets_go_of_every_lease_since_only_one_node_uses_the_file() throws Exception {
        UUID beforeTheCrash = pending();
        UUID beforeThat = pending();
        claim(beforeTheCrash, "node-before-the-crash", T0);
        claim(beforeThat, "node-before-that", T0);

        assertThat(store.publications().release("node-now")).as("leases let go").isEqualTo(2);

        assertThat(leaseHolder(beforeTheCrash)).as("holder of the one claimed before the crash").isNull();
        assertThat(store.publications().claimable("node-now", T0.plusSeconds(1))).as("claimable by the new life")
                .containsExactlyInAnyOrder(beforeTheCrash, beforeThat);
    }
}
