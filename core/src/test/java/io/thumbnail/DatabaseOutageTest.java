package io.thumbnail;

import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL stopped under a running service, and started again on the same data and port: submits are refused with
 * {@code io_error} (the server's 503) instead of hanging, workers take no jobs meanwhile, and once the database is back
 * every job, the one caught running included, is done without anyone restarting anything. And a database that holds
 * the status reading (a lock taken by another client) is reported as not answering without the stats waiting for it.
 */
class DatabaseOutageTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(50, 50);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final TestPostgres postgres = TestPostgres.get();
    private final ScriptedPipeline pipeline = new ScriptedPipeline().holdFirstCall();
    private ThumbnailService service;

    @AfterEach
    void close() {
        pipeline.releaseFirstCall();
        postgres.start();
        if (service != null) {
            service.close();
        }
    }

    @Test
    void stats_answer_at_once_and_count_the_database_as_not_answering_once_a_reading_has_waited_two_seconds()
            throws Exception {
        MutableClock clock = MutableClock.startingNow();
        String url = postgres.newDatabase("held");
        service = ServiceTestHooks.withoutWorkers(ThumbnailService.builder().dataDir(dir).database(url).nodeId("n1")
                .clock(clock)).build();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (Connection locker = DriverManager.getConnection(url)) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.execute("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE");
            }
            Future<?> reading = reader.submit(() -> ServiceTestHooks.checkStatus(service));
            Awaiting.until(() -> waitingForALock(url), "the status reading waiting for the lock", PATIENCE);

            ServiceStats meanwhile = service.stats();
            clock.advance(Duration.ofSeconds(2));
            long asked = System.nanoTime();
            ServiceStats held = service.stats();
            Duration took = Duration.ofNanos(System.nanoTime() - asked);

            assertThat(meanwhile.databaseOk()).as("database answers, a reading under way for less than 2 s").isTrue();
            assertThat(took).as("time the stats took, a reading held").isLessThan(Duration.ofMillis(500));
            assertThat(held.databaseOk()).as("database answers, a reading held for 2 s").isFalse();
            assertThat(held.queued()).as("queued, while it cannot be counted").isEqualTo(-1);
            locker.rollback();
            reading.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            reader.shutdownNow();
        }
        assertThat(service.stats().databaseOk()).as("database answers, once the reading came back").isTrue();
    }

    private static boolean waitingForALock(String url) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Job submit(int seed) {
        return service.submit(ImageSource.of(TestImages.png(120, 80, seed), "p" + seed + ".png"), SPEC, SubmitOptions.defaults());
    }

    @Test
    void while_the_database_is_down_submits_fail_at_once_and_once_it_is_back_every_job_is_done() throws Exception {
        service = ThumbnailService.builder().dataDir(dir).database(postgres.newDatabase("outage")).nodeId("n1")
                .workers(1).lease(Duration.ofSeconds(2)).heartbeat(Duration.ofMillis(500))
                .hooks(h -> h.withPipeline(pipeline))
                .build();
        Job running = submit(1);
        assertThat(pipeline.firstCallStarted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("job started").isTrue();
        Job waiting = submit(2);

        postgres.stop();
        try {
            assertThatThrownBy(() -> submit(3)).as("submit while the database is down")
                    .isInstanceOfSatisfying(ThumbnailException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
            long started = System.nanoTime();
            assertThatThrownBy(() -> submit(4)).as("the next submit").isInstanceOf(ThumbnailException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time the next submit took to fail")
                    .isLessThan(Duration.ofSeconds(2));
            ServiceTestHooks.checkStatus(service);
            ServiceStats down = service.stats();
            assertThat(down.databaseOk()).as("database answers").isFalse();
            assertThat(down.databaseWritable()).as("database writable").isFalse();
            pipeline.releaseFirstCall(); // the running job's completion cannot be written now
        } finally {
            postgres.start();
        }
        // Calls fail at once until the store's probe (every second while it fails) finds the database back.
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!service.stats().databaseWritable() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(service.await(running.id(), PATIENCE).status()).as("the job caught running").isEqualTo(JobStatus.DONE);
        assertThat(service.await(waiting.id(), PATIENCE).status()).as("the job waiting").isEqualTo(JobStatus.DONE);
        Job after = submit(5);
        assertThat(service.await(after.id(), PATIENCE).status()).as("a job submitted after").isEqualTo(JobStatus.DONE);
        ServiceTestHooks.checkStatus(service);
        ServiceStats up = service.stats();
        assertThat(up.databaseOk() && up.databaseWritable()).as("database healthy again").isTrue();
    }
}
