package io.thumbnail.internal.blob.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.BlobStoreContract;
import io.thumbnail.internal.blob.s3.S3BlobStore;
import io.thumbnail.internal.blob.s3.S3Location;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.postgres.TestPostgres;
import io.thumbnail.s3.LocalS3;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes sharing one bucket and one PostgreSQL: the blob store contract with pins in the database, and a node's
 * deletions racing another node's new jobs that find the same blob stored, without ever losing a blob a job's row
 * names. The "jobs" are rows of a table {@code refs}, asked through a pool of their own, as the job store's would be.
 */
class SharedPinsS3BlobStoreTest extends BlobStoreContract {
    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private static HikariDataSource jobs;
    private static final List<HikariDataSource> pools = new ArrayList<>();
    private final LocalS3 s3 = endpoint.s3();
    private final String bucket = endpoint.newBucket("shared");
    private final List<BlobStore> opened = new ArrayList<>();

    @BeforeAll
    static void start() throws SQLException {
        jobs = TestPostgres.get().newPool("shared_pins", 4);
        PostgresBlobPins.createTable(jobs);
        try (Connection c = jobs.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE refs (sha256 text NOT NULL)");
        }
    }

    @AfterAll
    static void stop() {
        pools.forEach(HikariDataSource::close);
        jobs.close();
    }

    @BeforeEach
    void noRowsNorPins() throws SQLException {
        try (Connection c = jobs.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE refs, blob_pins");
        }
    }

    @AfterEach
    void closeStores() {
        opened.forEach(BlobStore::close);
    }

    /** A node: its store on the shared bucket, its pins in the shared database through a pool of their own. */
    private BlobStore node(String nodeId) {
        HikariDataSource pinPool = new HikariDataSource(jobs);
        pinPool.setMaximumPoolSize(2);
        pools.add(pinPool);
        StoreHealth health = new StoreHealth("the blob store", Clock.systemUTC());
        BlobStore store = S3BlobStore.open(S3Location.parse(s3.location(bucket, "shared")),
                dir.resolve(nodeId + "-incoming"), health,
                new PostgresBlobPins(pinPool, nodeId, PostgresBlobPins.DEFAULT_LIFETIME, health));
        opened.add(store);
        return store;
    }

    @Override
    protected BlobStore openStore() {
        return node("node-" + opened.size());
    }

    private static boolean referenced(String sha256) {
        try (Connection c = jobs.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM refs WHERE sha256 = ?)")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reference(String sha256, boolean on) {
        try (Connection c = jobs.getConnection(); PreparedStatement ps = c.prepareStatement(on
                ? "INSERT INTO refs (sha256) VALUES (?)" : "DELETE FROM refs WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_delete_on_one_node_racing_new_jobs_on_another_never_loses_a_blob_a_row_names() throws Exception {
        BlobStore deleting = node("node-a");
        BlobStore submitting = node("node-b");
        byte[] bytes = photo(64 << 10, 21);
        String sha = sha256(bytes);
        int rounds = 30;
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<String> lost = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> deleter = pool.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!done.get() && System.nanoTime() < deadline) {
                    if (deleting.deleteIfUnreferenced(sha, SharedPinsS3BlobStoreTest::referenced)) {
                        deleted.incrementAndGet();
                    }
                    attempts.incrementAndGet();
                }
            });
            for (int round = 0; round < rounds; round++) {
                // A new job on node b whose image (or thumbnail) is stored already, as a dedupe hit finds it.
                try (BlobStore.Pin pin = submitting.pin(sha)) {
                    if (!submitting.exists(sha)) {
                        submitting.write(sha, bytes);
                    }
                    reference(sha, true);
                }
                if (!submitting.exists(sha)) {
                    lost.add("round " + round);
                }
                // The job is deleted; node a's deletions get their chance before the next job comes.
                reference(sha, false);
                int seen = attempts.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (attempts.get() < seen + 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            done.set(true);
            deleter.get(60, TimeUnit.SECONDS);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }

        assertThat(lost).as("rounds whose committed row named a blob that was gone").isEmpty();
        assertThat(deleted.get()).as("deletions by node a between the jobs (the race was run)")
                .isGreaterThanOrEqualTo(rounds / 2);
    }

    @Test
    void a_blob_pinned_on_one_node_is_neither_deleted_nor_quarantined_by_another() {
        BlobStore a = node("node-a");
        BlobStore b = node("node-b");
        a.write(SHA, BYTES);

        try (BlobStore.Pin pin = a.pin(SHA)) {
            assertThat(b.deleteIfUnreferenced(SHA, sha -> false)).as("deleted by node b").isFalse();
            assertThat(b.quarantineIfUnreferenced(SHA, sha -> false, java.time.Instant.now())).as("quarantined by b")
                    .isFalse();
        }

        assertThat(b.exists(SHA)).as("the blob, once the pin is closed").isTrue();
        assertThat(b.quarantineIfUnreferenced(SHA, sha -> false, java.time.Instant.now()))
                .as("quarantined by node b once unpinned").isTrue();
    }
}
