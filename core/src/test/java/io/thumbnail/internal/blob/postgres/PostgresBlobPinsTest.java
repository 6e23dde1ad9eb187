package io.thumbnail.internal.blob.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pins shared by nodes through a real PostgreSQL: what one node holds, every other node's removal respects. */
class PostgresBlobPinsTest {
    private static final String SHA = "5f".repeat(32);
    private static HikariDataSource database;

    private final AtomicInteger removals = new AtomicInteger();
    private final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeAll
    static void openDatabase() {
        database = TestPostgres.get().newPool("pins", 8);
        PostgresBlobPins.createTable(database);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void noPins() throws SQLException {
        execute("TRUNCATE blob_pins");
    }

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    private static PostgresBlobPins node(String nodeId) {
        return new PostgresBlobPins(database, nodeId, PostgresBlobPins.DEFAULT_LIFETIME, health());
    }

    private static StoreHealth health() {
        return new StoreHealth("the job database", Clock.systemUTC());
    }

    private boolean removeIfUnused(PostgresBlobPins node, boolean referenced) {
        return node.removeIfUnused(SHA, sha -> referenced, sha -> removals.incrementAndGet() > 0);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void a_pin_held_on_one_node_keeps_every_other_node_from_removing_the_blob() {
        PostgresBlobPins a = node("node-a");
        PostgresBlobPins b = node("node-b");

        try (BlobStore.Pin pin = a.pin(SHA)) {
            assertThat(removeIfUnused(b, false)).as("removed by node b while node a pins it").isFalse();
            assertThat(removeIfUnused(a, false)).as("removed by node a itself while it pins it").isFalse();
        }

        assertThat(removeIfUnused(b, false)).as("removed by node b once the pin is closed").isTrue();
        assertThat(removals).as("removals run").hasValue(1);
    }

    @Test
    void a_hash_a_row_names_is_not_removed() {
        assertThat(removeIfUnused(node("node-a"), true)).as("removed while referenced").isFalse();
        assertThat(removals).as("removals run").hasValue(0);
    }

    @Test
    void a_pin_taken_while_another_node_decides_waits_for_the_decision() throws Exception {
        PostgresBlobPins deciding = node("node-a");
        PostgresBlobPins pinning = node("node-b");
        CountDownLatch removing = new CountDownLatch(1);
        CountDownLatch finishRemoval = new CountDownLatch(1);
        Future<Boolean> decision = background.submit(() -> deciding.removeIfUnused(SHA, sha -> false, sha -> {
            removing.countDown();
            try {
                return finishRemoval.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        assertThat(removing.await(30, TimeUnit.SECONDS)).as("the removal began").isTrue();

        CompletableFuture<BlobStore.Pin> pin = CompletableFuture.supplyAsync(() -> pinning.pin(SHA), background);
        awaitWaitersOnAdvisoryLocks(1);
        assertThat(pin).as("the pin, while the decision holds the hash's lock").isNotDone();

        finishRemoval.countDown();

        assertThat(decision.get(30, TimeUnit.SECONDS)).as("the blob was removed").isTrue();
        try (BlobStore.Pin taken = pin.get(30, TimeUnit.SECONDS)) {
            assertThat(count("SELECT count(*) FROM blob_pins")).as("pins once the decision was made").isEqualTo(1);
        }
        assertThat(count("SELECT count(*) FROM blob_pins")).as("pins once closed").isZero();
    }

    /** Waits until {@code n} sessions wait for an advisory lock. */
    private static void awaitWaitersOnAdvisoryLocks(int n) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted";
        while (count(sql) < n) {
            assertThat(System.nanoTime()).as("sessions waiting for the hash's lock within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void a_node_that_starts_again_releases_the_pins_its_earlier_life_left() {
        node("node-a").pin(SHA);
        node("node-b").pin("6e".repeat(32));

        assertThat(node("node-a").releaseNode()).as("pins released by node a's new life").containsExactly(SHA);

        assertThat(removeIfUnused(node("node-b"), false)).as("removed once node a's pin is released").isTrue();
    }

    @Test
    void a_pin_older_than_its_lifetime_is_ignored_and_released_as_a_candidate_for_the_sweep() throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO blob_pins (id, sha256, node_id, pinned_at) VALUES (gen_random_uuid(), ?, 'dead-node',"
                        + " now() - interval '2 hours')")) {
            ps.setString(1, SHA);
            ps.executeUpdate();
        }
        node("node-a").pin("6e".repeat(32));

        assertThat(removeIfUnused(node("node-b"), false)).as("removed despite a dead node's old pin").isTrue();
        assertThat(node("node-b").releaseExpired()).as("pins released as expired").containsExactly(SHA);
        assertThat(count("SELECT count(*) FROM blob_pins")).as("live pins left").isEqualTo(1);
    }

    @Test
    void nodes_starting_at_once_all_find_the_table_made() throws Exception {
        List<Future<?>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(background.submit(() -> PostgresBlobPins.createTable(database)));
        }
        for (Future<?> start : starts) {
            start.get(30, TimeUnit.SECONDS);
        }

        assertThat(count("SELECT count(*) FROM blob_pins")).isZero();
    }

    @Test
    void a_database_that_does_not_answer_fails_a_pin_as_the_databases_trouble() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/thumbs?user=postgres");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        StoreHealth health = health();
        try (HikariDataSource nowhere = new HikariDataSource(config)) {
            PostgresBlobPins pins = new PostgresBlobPins(nowhere, "node-a", PostgresBlobPins.DEFAULT_LIFETIME, health);

            assertThatThrownBy(() -> pins.pin(SHA)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("could not pin " + SHA + " in the shared database");
        }
        assertThat(health.writable()).as("database writable").isFalse();
    }
}
