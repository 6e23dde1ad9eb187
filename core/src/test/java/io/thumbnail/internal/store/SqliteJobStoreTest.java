package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static io.thumbnail.internal.store.StoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on a real SQLite file, and what the SQLite store keeps between calls (its statements). */
class SqliteJobStoreTest extends JobStoreContract {
    private static final JobStore.QueueLimits ROOMY = new JobStore.QueueLimits(10_000, 10_000);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration AGING = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Override
    protected JobStore openStore(Consumer<Job> changes) {
        return SqliteJobStore.open(dir.resolve("jobs.db"), T0, changes);
    }

    @Test
    void a_starting_node_takes_back_every_job_in_processing_since_only_one_node_uses_the_file() {
        try (JobStore store = SqliteJobStore.open(dir.resolve("single.db"), T0, job -> { })) {
            store.insert(null, List.of(queued(T0), queued(T0)), ROOMY);
            store.claimNext("node-before-the-crash", T0, LEASE, AGING);
            store.claimNext("node-before-that", T0, LEASE, AGING);

            List<Job> released = store.releaseLeases("node-now", T0.plusSeconds(1), 3,
                    new JobError(ErrorCode.INTERNAL, "lost"));

            assertThat(released).as("jobs left processing by earlier lives of the node, under any name").hasSize(2)
                    .extracting(Job::status).containsOnly(JobStatus.QUEUED);
        }
    }

    @Test
    void the_writer_is_back_to_normal_sync_after_forcing_an_accepted_and_a_deleted_job() throws Exception {
        try (SqliteJobStore store = SqliteJobStore.open(dir.resolve("sync.db"), T0, job -> { })) {
            Job job = queued(T0);
            store.insert(null, List.of(job), ROOMY);
            store.delete(job.id());

            try (java.sql.Connection c = store.database().writer().getConnection();
                 java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
                rs.next();
                assertThat(rs.getInt(1)).as("writer synchronous after the forced commits (1 = NORMAL)").isEqualTo(1);
                assertThat(c.getAutoCommit()).as("writer auto-commit").isTrue();
            }
        }
    }

    @Test
    void reopened_store_runs_its_statements_on_its_new_connections() {
        Path file = dir.resolve("reopened.db");
        try (JobStore store = SqliteJobStore.open(file, T0, job -> { })) {
            store.insert(null, List.of(queued(T0)), ROOMY);
            assertThat(store.claimNext("a", T0, LEASE, AGING)).as("claim before closing").isPresent();
        }
        try (JobStore store = SqliteJobStore.open(file, T0, job -> { })) {
            Job second = queued(T0);
            store.insert(null, List.of(second), ROOMY);
            assertThat(store.claimNext("b", T0.plusSeconds(1), LEASE, AGING)).map(c -> c.job().id())
                    .as("claim after reopening").contains(second.id());
        }
    }

    @Test
    void a_secret_outlives_the_store_that_made_it() {
        Path file = dir.resolve("secrets.db");
        byte[] made;
        try (JobStore store = SqliteJobStore.open(file, T0, job -> { })) {
            made = store.secret("service", T0);
        }
        try (JobStore reopened = SqliteJobStore.open(file, T0.plusSeconds(3600), job -> { })) {
            assertThat(reopened.secret("service", T0.plusSeconds(3600))).as("the secret after a reopen")
                    .isEqualTo(made);
        }
    }
}
