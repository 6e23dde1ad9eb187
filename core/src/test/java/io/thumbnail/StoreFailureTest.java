package io.thumbnail;

import io.thumbnail.internal.store.SqliteJobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import io.thumbnail.internal.image.Pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A store that cannot be written (a full disk, a folder made read-only) is the server's trouble, not the jobs': no
 * job spends its attempts on it, no job stays processing for good once it is over, and the log says so once. The
 * database is made to refuse writes with {@code PRAGMA query_only} on its writer (SQLite's own error, from the same
 * statements a full disk fails), the blob folder by putting a file where the folder was (which refuses even root).
 */
class StoreFailureTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(50, 50);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private final ScriptedPipeline pipeline = new ScriptedPipeline();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private ThumbnailService service;

    @AfterEach
    void close() throws Exception {
        pipeline.releaseFirstCall();
        background.shutdown();
        background.awaitTermination(10, TimeUnit.SECONDS);
        if (Files.isRegularFile(dir.resolve("blobs"))) {
            restoreBlobFolder();
        }
        if (service != null) {
            service.close();
        }
    }

    private ThumbnailService manual() {
        service = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false))
                .maxAttempts(3).retryBackoff(Duration.ofSeconds(1)).lease(Duration.ofSeconds(30))
                .heartbeat(Duration.ofSeconds(10)).build();
        return service;
    }

    private Job submit(int seed) {
        return service.submit(ImageSource.of(TestImages.png(120, 80, seed), "p" + seed + ".png"), SPEC,
                SubmitOptions.defaults());
    }

    private Job job(Job submitted) {
        return service.get(submitted.id()).orElseThrow();
    }

    /** The database's one writer refuses (or accepts again) every write, as SQLite does on a full disk. */
    /**
     * A job made while the database failed, so that its worker could record nothing (neither the thumbnail nor a
     * retry) and gave up on it; the database works again when this returns (the disk was freed).
     */
    private Job madeWhileTheDatabaseFailed() throws Exception {
        manual();
        pipeline.holdFirstCall();
        Job job = submit(1);
        Future<Boolean> running = background.submit(service.assembly().byHand()::processNext);
        ScriptedPipeline.await(pipeline.firstCallStarted);
        databaseWritable(false);
        pipeline.releaseFirstCall();
        try {
            running.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // The worker could record nothing.
        }
        databaseWritable(true);
        return job;
    }

    private void databaseWritable(boolean writable) throws SQLException {
        SqliteJobStore store = (SqliteJobStore) service.assembly().store();
        try (Connection c = store.database().writer().getConnection(); Statement st = c.createStatement()) {
            st.execute("PRAGMA query_only = " + !writable);
        }
    }

    private void breakBlobFolder() throws IOException {
        Files.move(dir.resolve("blobs"), dir.resolve("blobs.away"));
        Files.writeString(dir.resolve("blobs"), "not a folder");
    }

    private void restoreBlobFolder() throws IOException {
        Files.delete(dir.resolve("blobs"));
        Files.move(dir.resolve("blobs.away"), dir.resolve("blobs"));
    }

    @Test
    void a_blob_folder_that_cannot_be_written_shows_in_the_stats_from_the_start_and_recovers() throws Exception {
        // A folder where the write probe's file goes: no write there succeeds, whoever runs the test (root too).
        Files.createDirectories(dir.resolve("blobs").resolve("write-probe.tmp").resolve("in-the-way"));
        manual();

        assertThat(service.stats().blobsWritable()).as("blobs writable, right after opening").isFalse();

        Files.delete(dir.resolve("blobs").resolve("write-probe.tmp").resolve("in-the-way"));
        Files.delete(dir.resolve("blobs").resolve("write-probe.tmp"));
        clock.advance(Duration.ofSeconds(2)); // past the probes' spacing
        ServiceTestHooks.checkStatus(service);
        assertThat(service.stats().blobsWritable()).as("blobs writable, once the folder can be written").isTrue();
    }

    @Test
    void a_job_whose_worker_gave_up_on_a_failed_write_loses_its_lease_and_is_taken_back() throws Exception {
        Job job = madeWhileTheDatabaseFailed();
        assertThat(job(job).status()).as("status once the worker gave up").isEqualTo(JobStatus.PROCESSING);

        clock.advance(Duration.ofSeconds(20));
        assertThat(service.assembly().byHand().heartbeat()).as("leases renewed: no worker runs the job").isZero();
        clock.advance(Duration.ofSeconds(15));

        assertThat(service.assembly().byHand().reapExpiredLeases()).extracting(Job::id)
                .as("taken back once its lease ran out")
                .containsExactly(job.id());
        assertThat(service.assembly().byHand().processNext()).as("claimed again").isTrue();
        assertThat(job(job).status()).isEqualTo(JobStatus.DONE);
    }

    @Test
    void a_job_taken_back_after_the_database_failed_under_its_worker_is_no_crash_suspect() throws Exception {
        Job job = madeWhileTheDatabaseFailed();
        assertThat(service.assembly().byHand().probeFailingStores()).as("stores work again").isTrue();
        clock.advance(Duration.ofSeconds(35));

        assertThat(service.assembly().byHand().reapExpiredLeases()).extracting(Job::id)
                .as("taken back once its lease ran out").containsExactly(job.id());
        assertThat(service.assembly().byHand().crashSuspects())
                .as("crash suspects: its process never died, its worker could not record its end").isZero();
    }

    @Test
    void renditions_that_overran_while_the_database_failed_are_let_go_and_taken_back_once_it_works() throws Exception {
        service = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false)).jobTimeout(Duration.ofSeconds(10))
                .lease(Duration.ofSeconds(30)).heartbeat(Duration.ofSeconds(10)).build();
        pipeline.holdFirstCall();
        Batch batch = service.submitAll(List.of(ImageSource.of(TestImages.png(120, 80, 1), "r.png")), null,
                SubmitOptions.builder().renditions(List.of(ThumbnailSpec.box(20, 20), ThumbnailSpec.box(30, 30)))
                        .build());
        background.submit(service.assembly().byHand()::runNextJob);
        ScriptedPipeline.await(pipeline.firstCallStarted);
        List<Job> renditions = service.batch(batch.id()).orElseThrow().items();
        assertThat(renditions).extracting(Job::status).as("both renditions in the one hung decode")
                .containsOnly(JobStatus.PROCESSING);

        clock.advance(Duration.ofSeconds(10));
        databaseWritable(false);
        List<Job> expired = service.assembly().byHand().expireOverdueJobs();
        databaseWritable(true);

        assertThat(expired).as("jobs failed for overrunning while no write succeeded").isEmpty();
        assertThat(service.assembly().byHand().heartbeat()).as("leases renewed: no thread works on them any more")
                .isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(service.assembly().byHand().reapExpiredLeases()).as("taken back once their leases ran out")
                .extracting(Job::id).containsExactlyInAnyOrderElementsOf(renditions.stream().map(Job::id).toList());
        for (Job rendition : renditions) {
            assertThat(job(rendition).status()).as("rendition %s", rendition.spec()).isEqualTo(JobStatus.QUEUED);
        }
    }

    @Test
    void no_job_spends_its_attempts_while_the_blob_folder_cannot_be_written_and_all_finish_once_it_can()
            throws Exception {
        manual();
        List<Job> jobs = List.of(submit(1), submit(2), submit(3));
        breakBlobFolder();

        for (int i = 0; i < 30; i++) {
            service.assembly().byHand().processNext();
            clock.advance(Duration.ofSeconds(1));
        }

        for (Job job : jobs) {
            assertThat(job(job).status()).as("status of %s after 30 s with the blob folder unwritable",
                    job.source().name()).isEqualTo(JobStatus.QUEUED);
            assertThat(job(job).attempts()).as("attempts of %s", job.source().name()).isLessThanOrEqualTo(1);
        }
        assertThat(service.stats().blobsWritable()).as("blob store writable, as the stats see it").isFalse();

        restoreBlobFolder();
        clock.advance(Duration.ofMinutes(1)); // the first job's retry after a store failure
        ServiceTestHooks.checkStatus(service);
        assertThat(service.stats().blobsWritable()).as("blob store writable once restored").isTrue();
        while (service.assembly().byHand().processNext()) {
            // run every job
        }
        for (Job job : jobs) {
            assertThat(job(job).status()).as("status of %s", job.source().name()).isEqualTo(JobStatus.DONE);
        }
    }

    @Test
    void an_accepted_job_that_meets_one_blob_outage_after_another_spends_no_attempt_and_is_done_once_they_end()
            throws Exception {
        AtomicInteger outages = new AtomicInteger();
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        // The disk fills up while each of the first four runs decodes: its thumbnail cannot be written.
        Pipeline pipeline = (source, spec) -> {
            if (outages.incrementAndGet() <= 4) {
                try {
                    breakBlobFolder();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return thumbnailer.thumbnail(source, spec);
        };
        service = ThumbnailService.builder().dataDir(dir).clock(clock).maxAttempts(3)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false)).build();
        Job job = submit(1);
        List<Duration> waits = new ArrayList<>();

        for (int run = 1; run <= 5; run++) {
            Instant asked = clock.instant();
            for (int steps = 0; !service.assembly().byHand().processNext(); steps++) {
                assertThat(steps).as("5 s steps waited for run %s", run).isLessThan(1000);
                clock.advance(Duration.ofSeconds(5));
                ServiceTestHooks.checkStatus(service); // probes the failing store, as the housekeeping does
            }
            waits.add(Duration.between(asked, clock.instant()));
            if (run <= 4) {
                restoreBlobFolder();
                Job queued = job(job);
                assertThat(queued.status()).as("status after outage %s", run).isEqualTo(JobStatus.QUEUED);
                assertThat(queued.attempts()).as("attempts spent after outage %s", run).isZero();
            }
        }

        Job done = job(job);
        assertThat(done.status()).as("status once the outages ended").isEqualTo(JobStatus.DONE);
        assertThat(done.attempts()).as("attempts: the one that worked").isEqualTo(1);
        assertThat(waits.subList(1, 5)).as("waits before each retry, the first run's excluded: %s", waits)
                .allSatisfy(wait -> assertThat(wait).as("once the folder works again, its probe lets the job run")
                        .isLessThanOrEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void while_the_database_is_known_to_fail_a_submit_is_refused_at_once_and_taken_again_once_a_probe_finds_it_works()
            throws Exception {
        manual();
        databaseWritable(false);
        assertThatThrownBy(() -> submit(1)).as("the submit that finds the database failing")
                .isInstanceOf(ThumbnailException.class);

        assertThatThrownBy(() -> submit(2)).as("a submit while it is known to fail, without touching the database")
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageStartingWith("the job database is failing (since ");

        databaseWritable(true);
        clock.advance(Duration.ofSeconds(1));
        service.assembly().byHand().probeFailingStores();
        assertThat(submit(3).status()).as("a submit once the probe found the database working")
                .isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void a_failing_database_is_logged_once_not_by_every_idle_worker_every_time_it_looks() throws Exception {
        service = ThumbnailService.builder().dataDir(dir).workers(2).hooks(h -> h.withIdleWait(Duration.ofMillis(10)))
                .build();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            databaseWritable(false);
            long before = databaseFailures();
            awaitTrue("the workers and probes met the failing database 3 times",
                    () -> databaseFailures() >= before + 3);
        } finally {
            System.setErr(stderr);
            databaseWritable(true);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.startsWith("\tat ")).count()).as("stack trace lines in the log")
                .isZero();
        assertThat(log.lines().filter(l -> l.contains("the job database is failing")).count())
                .as("lines saying the database fails, in:%n%s", log).isEqualTo(1);
        awaitTrue("the database works again for the stats", () -> service.stats().databaseWritable());
    }

    private long databaseFailures() {
        return service.assembly().health().database().failures();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
