package io.thumbnail.internal.store.postgres;

import io.thumbnail.Callback;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.SpecCodec;
import io.thumbnail.internal.store.StoreFixtures;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.thumbnail.internal.store.StoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the PostgreSQL store does for several nodes beyond the store contract: leases, webhook claims and retry times
 * by the database's clock, a start that leaves other nodes' jobs alone, the claim's partial index, node ids and the
 * janitor's lock, notifications between nodes, migrations by nodes starting together, and the messages of a refused
 * opening.
 */
class PostgresNodesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration AGING = Duration.ofMinutes(5);
    private static final JobStore.QueueLimits ROOMY = new JobStore.QueueLimits(100_000, 100_000);
    private static final JobError LOST = new JobError(ErrorCode.INTERNAL, "lost");
    private static final URI HOOK = URI.create("https://hooks.example.com/thumbnails");
    private static final AtomicInteger schemas = new AtomicInteger();
    private static String database;

    private String url;
    private final List<JobStore> stores = new ArrayList<>();

    @BeforeAll
    static void database() {
        database = TestPostgres.get().newDatabase("nodes");
    }

    @BeforeEach
    void schema() {
        url = PostgresFixtures.freshSchema(database, "n" + schemas.incrementAndGet());
    }

    @AfterEach
    void close() {
        stores.forEach(JobStore::close);
    }

    private JobStore open(String nodeId) {
        JobStore store = PostgresJobStore.open(url, nodeId, true, job -> { },
                new StoreHealth("the job database", Clock.systemUTC()));
        stores.add(store);
        return store;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private <T> T sql(String query, Class<T> type) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getObject(1, type);
        }
    }

    @Test
    void leases_and_retry_times_follow_the_database_clock_whatever_the_nodes_clock_says() throws Exception {
        JobStore store = open("skewed");
        Instant hourAhead = now().plus(Duration.ofHours(1));
        Job job = queued(now());
        store.insert(null, List.of(job), ROOMY);

        store.claimNext("skewed", hourAhead, LEASE, AGING).orElseThrow();

        double leaseLeft = sql("SELECT CAST(EXTRACT(EPOCH FROM lease_until - now()) AS float8) FROM jobs", Double.class);
        assertThat(leaseLeft).as("seconds of lease left by the database's clock").isBetween(20.0, 30.0);
        assertThat(store.reapExpired(hourAhead.plus(LEASE), 3, LOST, true, List.of()))
                .as("reaped by a node whose clock is an hour and a lease ahead").isEmpty();
        store.retry(job.id(), "skewed", new JobError(ErrorCode.IO_ERROR, "x"), now().minus(Duration.ofHours(1)),
                Duration.ofSeconds(10));
        double waitLeft = sql("SELECT CAST(EXTRACT(EPOCH FROM run_after - now()) AS float8) FROM jobs", Double.class);
        assertThat(waitLeft).as("seconds until the retry by the database's clock").isBetween(5.0, 10.0);
        assertThat(store.claimNext("skewed", hourAhead, LEASE, AGING)).as("claim before the retry time").isEmpty();
    }

    @Test
    void a_starting_node_takes_back_only_the_jobs_its_own_id_held() {
        JobStore store = open("observer");
        Job mine = queued(now());
        Job others = queued(now());
        store.insert(null, List.of(mine, others), ROOMY);
        store.claimNext("restarting", now(), LEASE, AGING).orElseThrow();
        store.claimNext("still-running", now(), LEASE, AGING).orElseThrow();

        List<Job> released = store.releaseLeases("restarting", now(), 3, LOST);

        assertThat(released).extracting(Job::id).as("released").containsExactly(mine.id());
        Job left = store.get(others.id()).orElseThrow();
        assertThat(left.status()).as("the other node's job").isEqualTo(JobStatus.PROCESSING);
        assertThat(left.node()).isEqualTo("still-running");
    }

    @Test
    void the_claim_reads_the_partial_index_of_queued_jobs_however_many_jobs_are_finished() throws Exception {
        open("n");
        PostgresFixtures.execute(url, "INSERT INTO jobs (id, status, spec, source_bytes, created_at, run_after,"
                + " finished_at) SELECT gen_random_uuid(), 'DONE', 's', 1, now(), now(), now()"
                + " FROM generate_series(1, 20000)");
        PostgresFixtures.execute(url, "INSERT INTO jobs (id, status, spec, source_bytes, created_at, run_after)"
                + " SELECT gen_random_uuid(), 'QUEUED', 's', 1, now(), now() FROM generate_series(1, 5)");
        PostgresFixtures.execute(url, "ANALYZE jobs");

        StringBuilder plan = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN SELECT seq FROM jobs WHERE status = 'QUEUED'"
                     + " AND run_after <= now() ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }

        assertThat(plan.toString()).as("the claim's plan").contains("jobs_queued");
    }

    @Test
    void a_node_id_is_refused_while_a_running_node_holds_it_and_free_once_that_node_stops() {
        JobStore first = open("web-1");

        assertThatThrownBy(() -> open("web-1")).as("a second node named web-1")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the node id 'web-1' is in use by another running node")
                .hasMessageContaining("--node-id");
        first.close();
        stores.remove(first);
        awaitTrue(() -> {
            try {
                open("web-1");
                return true;
            } catch (IllegalStateException e) {
                return false; // PostgreSQL ends the closed session's locks a moment after the close
            }
        }, "web-1 free again");
    }

    @Test
    void one_node_at_a_time_runs_the_janitor_and_another_takes_over_when_it_stops() {
        JobStore a = open("a");
        JobStore b = open("b");

        assertThat(a.leadsJanitor()).as("a, asking first").isTrue();
        assertThat(b.leadsJanitor()).as("b, while a leads").isFalse();
        assertThat(a.leadsJanitor()).as("a, asking again").isTrue();
        a.close();
        stores.remove(a);

        awaitTrue(b::leadsJanitor, "b leads once a stopped");
    }

    @Test
    void nodes_opening_an_empty_database_together_create_its_schema_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JobStore>> opening = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String node = "starting-" + i;
                opening.add(pool.submit(() -> open(node)));
            }
            for (Future<JobStore> store : opening) {
                store.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }

        assertThat(sql("SELECT COUNT(*) FROM schema_version", Long.class)).as("migrations recorded")
                .isEqualTo((long) PostgresMigrations.latest());
    }

    @Test
    void publication_leases_follow_the_database_clock_whatever_the_nodes_clock_says() throws Exception {
        JobStore store = open("skewed");
        UUID id = donePendingPublication(store);
        Instant hourAhead = now().plus(Duration.ofHours(1));

        assertThat(store.publications().claim(id, "skewed", hourAhead, LEASE)).as("the skewed node's claim").isTrue();

        double leaseLeft = sql("SELECT CAST(EXTRACT(EPOCH FROM publish_until - now()) AS float8) FROM jobs",
                Double.class);
        assertThat(leaseLeft).as("seconds of lease left by the database's clock").isBetween(20.0, 30.0);
        assertThat(store.publications().claim(id, "other", hourAhead.plus(LEASE), LEASE))
                .as("claimed by a node whose clock is an hour and a lease ahead").isFalse();
    }

    @Test
    void a_database_from_before_publication_leases_is_upgraded_and_keeps_its_pending_publications() throws Exception {
        UUID pending = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url)) {
            PostgresMigrations.migrate(c, 2);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, status, spec, source_name,"
                    + " source_bytes, source_format, source_sha256, result_format, result_width, result_height,"
                    + " result_bytes, result_sha256, created_at, finished_at, run_after, publish_target)"
                    + " VALUES (?, 'DONE', ?, 'a.png', 10, 'png', ?, 'png', 1, 1, 5, ?, now(), now(), now(),"
                    + " 'imgur')")) {
                ps.setObject(1, pending);
                ps.setString(2, SpecCodec.encode(ThumbnailSpec.box(10, 10)));
                ps.setString(3, StoreFixtures.sha("source"));
                ps.setString(4, StoreFixtures.sha("thumbnail"));
                ps.executeUpdate();
            }
        }
        assertThat(sql("SELECT MAX(version) FROM schema_version", Integer.class)).as("the old database's version")
                .isEqualTo(2);

        JobStore store = open("upgrading");

        assertThat(sql("SELECT MAX(version) FROM schema_version", Integer.class)).as("the version after the upgrade")
                .isEqualTo(PostgresMigrations.latest());
        assertThat(store.get(pending).orElseThrow().publication()).as("the publication, read back")
                .isEqualTo(Publication.pending("imgur"));
        assertThat(store.publications().claimable("upgrading", now())).as("claimable after the upgrade")
                .containsExactly(pending);
        assertThat(store.publications().claim(pending, "upgrading", now(), LEASE)).as("claimed after the upgrade")
                .isTrue();
    }

    @Test
    void a_database_from_before_crash_suspects_is_upgraded_and_its_jobs_are_suspects_only_once_taken_back()
            throws Exception {
        UUID queued = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url)) {
            PostgresMigrations.migrate(c, 3);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, status, spec, source_name,"
                    + " source_bytes, source_format, source_sha256, created_at, run_after)"
                    + " VALUES (?, 'QUEUED', ?, 'a.png', 10, 'png', ?, now(), now())")) {
                ps.setObject(1, queued);
                ps.setString(2, SpecCodec.encode(ThumbnailSpec.box(10, 10)));
                ps.setString(3, StoreFixtures.sha("source"));
                ps.executeUpdate();
            }
        }

        JobStore store = open("upgrading");

        assertThat(sql("SELECT MAX(version) FROM schema_version", Integer.class)).as("the version after the upgrade")
                .isEqualTo(PostgresMigrations.latest());
        assertThat(store.suspects()).as("suspects after the upgrade").isZero();
        JobStore.Claim claim = store.claimNext("upgrading", now(), LEASE, AGING).orElseThrow();
        assertThat(claim.job().id()).as("the job claimed").isEqualTo(queued);
        assertThat(claim.suspect()).as("a job queued before the upgrade, claimed: a suspect").isFalse();
        store.releaseLeases("upgrading", now(), 3, LOST);
        assertThat(store.suspects()).as("suspects once it was released at a start").isEqualTo(1);
    }

    /** A done job whose publication to Imgur is pending; returns its id. */
    private static UUID donePendingPublication(JobStore store) {
        return done(store, queued(now()).toBuilder().publication(Publication.pending("imgur")).build());
    }

    /** A done job whose webhook is pending; returns its id. */
    private static UUID donePendingWebhook(JobStore store) {
        return done(store, queued(now()).toBuilder().callback(Callback.pending(HOOK)).build());
    }

    /** {@code job} inserted, claimed and done, the only job queued; returns its id. */
    private static UUID done(JobStore store, Job job) {
        store.insert(null, List.of(job), ROOMY);
        store.claimNext("worker", now(), LEASE, AGING).orElseThrow();
        store.complete(job.id(), "worker", new JobResult(ImageFormat.PNG, 1, 1, 1, StoreFixtures.sha("t")), now())
                .orElseThrow();
        return job.id();
    }

    @Test
    void webhook_claims_follow_the_database_clock_whatever_the_nodes_clocks_say() throws Exception {
        JobStore behind = open("behind");
        JobStore ahead = open("ahead");
        CallbackSubject subject = CallbackSubject.job(donePendingWebhook(behind));

        assertThat(behind.callbacks().claim(subject, now().minus(Duration.ofHours(1)), LEASE))
                .as("the claim of a node whose clock is an hour behind").isTrue();

        assertThat(ahead.callbacks().claim(subject, now().plus(Duration.ofHours(1)), LEASE))
                .as("claimed by a node whose clock is an hour ahead while the first claim lasts").isFalse();
        double claimLeft = sql("SELECT CAST(EXTRACT(EPOCH FROM callback_due - now()) AS float8) FROM jobs",
                Double.class);
        assertThat(claimLeft).as("seconds of claim left by the database's clock").isBetween(20.0, 30.0);
    }

    @Test
    void webhook_retry_times_follow_the_database_clock_whatever_the_nodes_clocks_say() throws Exception {
        JobStore behind = open("behind");
        JobStore ahead = open("ahead");
        CallbackSubject subject = CallbackSubject.job(donePendingWebhook(behind));
        Instant hourBehind = now().minus(Duration.ofHours(1));
        behind.callbacks().claim(subject, hourBehind, LEASE);

        behind.callbacks().record(subject, Callback.pending(HOOK).retrying("HTTP 503"), hourBehind,
                Duration.ofSeconds(10));

        assertThat(ahead.callbacks().claim(subject, now().plus(Duration.ofHours(1)), LEASE))
                .as("claimed by a node whose clock is an hour ahead before the retry's time").isFalse();
        double waitLeft = sql("SELECT CAST(EXTRACT(EPOCH FROM callback_due - now()) AS float8) FROM jobs",
                Double.class);
        assertThat(waitLeft).as("seconds until the retry by the database's clock").isBetween(5.0, 10.0);
    }

    @Test
    void a_node_hears_what_another_finished_and_queued_but_not_its_own() throws Exception {
        JobStore a = open("a");
        JobStore b = open("b");
        JobStore c = open("c");
        BlockingQueue<String> heardByA = new LinkedBlockingQueue<>();
        BlockingQueue<String> heardByC = new LinkedBlockingQueue<>();
        a.listen(recorder(heardByA));
        c.listen(recorder(heardByC));
        Job byA = queued(now());
        Job byB = queued(now());
        a.insert(null, List.of(byA), ROOMY);
        b.insert(null, List.of(byB), ROOMY);
        // Notifications arriving together wake the workers once: c hears "queued" once or twice.
        assertThat(heardByC.poll(10, TimeUnit.SECONDS)).as("c hears the submits").isEqualTo("queued");

        finish(a, byA.id(), "a");
        String next = heardByC.poll(10, TimeUnit.SECONDS);
        if ("queued".equals(next)) {
            next = heardByC.poll(10, TimeUnit.SECONDS);
        }
        assertThat(next).as("c hears a's job finish").isEqualTo("finished " + byA.id());
        finish(b, byB.id(), "b");

        // Notifications reach each listener in commit order: once a hears b's, it has passed over its own.
        assertThat(heardByA.poll(10, TimeUnit.SECONDS)).as("a hears b's submit").isEqualTo("queued");
        assertThat(heardByA.poll(10, TimeUnit.SECONDS)).as("a hears next").isEqualTo("finished " + byB.id());
        assertThat(heardByA).as("nothing else").isEmpty();
    }

    private static void finish(JobStore store, UUID id, String node) {
        Job claimed = store.claimNext(node, now(), LEASE, AGING).orElseThrow().job();
        assertThat(claimed.id()).as("claimed by " + node).isEqualTo(id);
        store.complete(id, node, new JobResult(ImageFormat.JPEG, 1, 1, 1, StoreFixtures.sha(id.toString())), now());
    }

    private static JobStore.RemoteChanges recorder(BlockingQueue<String> heard) {
        return new JobStore.RemoteChanges() {
            @Override
            public void finished(Job job) {
                heard.add("finished " + job.id());
            }

            @Override
            public void queued() {
                heard.add("queued");
            }

            @Override
            public Set<UUID> awaited() {
                return Set.of();
            }
        };
    }

    @Test
    void a_url_that_is_not_postgresql_is_refused_naming_the_flag_without_showing_the_password() {
        assertThatThrownBy(() -> PostgresJobStore.open("jdbc:mysql://db.example/thumbs?user=u&password=s3cret", "n",
                true, job -> { }, new StoreHealth("db", Clock.systemUTC())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--database")
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:5432/thumbs")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void an_unreachable_database_is_refused_in_one_line_naming_it_without_its_password() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String unreachable = "jdbc:postgresql://127.0.0.1:" + closed + "/thumbs?user=thumbs&password=s3cret";

        assertThatThrownBy(() -> PostgresJobStore.open(unreachable, "n", true, job -> { },
                new StoreHealth("db", Clock.systemUTC())))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
                    assertThat(e.getMessage()).as("message")
                            .startsWith("could not open the job database jdbc:postgresql://127.0.0.1:" + closed
                                    + "/thumbs?user=thumbs&password=*** (--database): ")
                            .contains("refused")
                            .doesNotContain("s3cret")
                            .doesNotContain("\n");
                });
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
