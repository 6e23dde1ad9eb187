package io.thumbnail;

import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL stopped under a running service, and started again on the same data and port: submits are refused with
 * {@code io_error} (the server's 503) instead of hanging, workers take no jobs meanwhile, and once the database is back
 * every job, the one caught running included, is done without anyone restarting anything.
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
        ServiceStats up = service.stats();
        assertThat(up.databaseOk() && up.databaseWritable()).as("database healthy again").isTrue();
    }
}
