package io.thumbnail;

import io.thumbnail.internal.image.Pipeline;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs that were running when their process died run again one at a time, alone on the node: should one of them be
 * what killed the process, the next death is charged to it alone, not to a job that happened to run beside it.
 */
class CrashSuspectsTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    /** Holds the making of the first image, {@code p1.png}, until released, deaf to interrupts. */
    private final HoldingPipeline pipeline = new HoldingPipeline(image(1));
    private ThumbnailService service;

    @AfterEach
    void close() {
        pipeline.release();
        if (service != null) {
            service.close();
        }
    }

    @Test
    void jobs_running_when_the_process_died_run_one_at_a_time_with_nothing_beside_them() throws Exception {
        List<Job> jobs = submittedThenClosed(3);
        leftProcessingByADeadProcess(jobs.get(0), jobs.get(1));

        service = withTwoWorkers(Duration.ofMinutes(5));
        pipeline.awaitHeld();
        awaitOtherWorkerParked();

        assertThat(pipeline.mostAtOnce()).as("most images made at once so far (p1.png, a suspect, is being made)")
                .isEqualTo(1);
        assertThat(pipeline.started(image(3))).as("p3.png, no suspect, started while a suspect runs").isFalse();
        pipeline.release();
        for (Job job : jobs) {
            assertThat(service.await(job.id(), Duration.ofSeconds(30)).status()).as("status of " + job.source().name())
                    .isEqualTo(JobStatus.DONE);
        }
        assertThat(pipeline.mostAtOnce()).as("most images made at once, suspects first").isEqualTo(1);
        assertThat(service.get(jobs.get(0).id()).orElseThrow().attempts()).as("attempts of a suspect")
                .isEqualTo(2);
    }

    @Test
    void a_suspect_that_overruns_its_time_limit_stops_holding_up_the_other_jobs() throws Exception {
        Job suspect = submittedThenClosed(1).get(0);
        leftProcessingByADeadProcess(suspect);
        service = withTwoWorkers(Duration.ofSeconds(10));
        pipeline.awaitHeld();
        Job next = service.submit(ImageSource.of(image(2), "p2.png"), SPEC, SubmitOptions.defaults());

        clock.advance(Duration.ofSeconds(11));
        service.assembly().byHand().expireOverdueJobs();

        assertThat(service.await(next.id(), Duration.ofSeconds(30)).status())
                .as("a job submitted while the suspect hung, once the suspect was let go").isEqualTo(JobStatus.DONE);
        assertThat(service.get(suspect.id()).orElseThrow().error().code()).as("the hung suspect's error")
                .isEqualTo(ErrorCode.TIMEOUT);
    }

    @Test
    void a_suspect_deleted_while_it_waits_for_the_job_beside_it_is_never_made() throws Exception {
        List<Job> jobs = aSuspectWaitingBesideAHeldJob();
        // Another job of p2.png's image keeps that image stored once the suspect is deleted.
        ThumbnailSpec smaller = ThumbnailSpec.box(20, 20);
        Job sameImage = service.submit(ImageSource.of(image(2), "p2.png"), smaller, SubmitOptions.defaults());

        assertThat(service.delete(jobs.get(1).id())).as("the waiting suspect deleted").isPresent();
        pipeline.release();

        assertThat(service.await(jobs.get(0).id(), Duration.ofSeconds(30)).status()).as("status of p1.png")
                .isEqualTo(JobStatus.DONE);
        assertThat(service.await(sameImage.id(), Duration.ofSeconds(30)).status())
                .as("status of the other job of p2.png's image").isEqualTo(JobStatus.DONE);
        assertThat(pipeline.started(image(2), SPEC)).as("p2.png made as the deleted suspect asked").isFalse();
    }

    @Test
    void a_suspect_waiting_for_the_job_beside_it_does_not_start_while_the_service_closes() throws Exception {
        aSuspectWaitingBesideAHeldJob();

        service.assembly().beginClose();
        pipeline.release();
        service.close(); // once p1.png, running, is done

        assertThat(pipeline.started(image(1))).as("p1.png made").isTrue();
        assertThat(pipeline.started(image(2))).as("p2.png, the waiting suspect, started as the service closed")
                .isFalse();
    }

    @Test
    void a_job_another_node_left_running_runs_alone_on_the_node_that_takes_it_back() throws Exception {
        String database = TestPostgres.get().newDatabase("crash_suspects");
        Job orphan = submittedThenClosed(1, database).get(0);
        leftRunningByADeadNode(database, orphan);
        service = ThumbnailService.builder().dataDir(dir).database(database).nodeId("survivor").workers(2)
                .hooks(h -> h.withPipeline(pipeline)).build();

        assertThat(service.assembly().byHand().reapExpiredLeases()).extracting(Job::id).as("taken back")
                .containsExactly(orphan.id());
        pipeline.awaitHeld();
        Job next = service.submit(ImageSource.of(image(2), "p2.png"), SPEC, SubmitOptions.defaults());
        awaitOtherWorkerParked();

        assertThat(pipeline.started(image(2))).as("a new job started while the orphan runs").isFalse();
        pipeline.release();
        assertThat(service.await(next.id(), Duration.ofSeconds(30)).status()).as("the new job, after the orphan")
                .isEqualTo(JobStatus.DONE);
        assertThat(pipeline.mostAtOnce()).as("most images made at once").isEqualTo(1);
    }

    @Test
    void a_job_a_dead_node_left_running_runs_alone_on_a_node_other_than_the_one_that_took_it_back() throws Exception {
        String database = TestPostgres.get().newDatabase("crash_suspects_elsewhere");
        List<Job> jobs = submittedThenClosed(2, database);
        Job orphan = jobs.get(0);
        leftRunningByADeadNode(database, orphan);
        try (ThumbnailService reaper = ThumbnailService.builder().dataDir(dir.resolve("reaper")).database(database)
                .nodeId("reaper").hooks(h -> h.withStartWorkers(false)).build()) {
            assertThat(reaper.assembly().byHand().reapExpiredLeases()).extracting(Job::id)
                    .as("taken back by the reaping node").containsExactly(orphan.id());
            service = ThumbnailService.builder().dataDir(dir).database(database).nodeId("claimer")
                    .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false)).build();
            FutureTask<Boolean> suspect = new FutureTask<>(service.assembly().byHand()::runNextJob);
            new Thread(suspect, "claimer's first worker").start();
            pipeline.awaitHeld();

            assertThat(service.assembly().byHand().runNextJob())
                    .as("the claiming node's other worker claimed a job while the suspect runs").isFalse();
            assertThat(pipeline.started(image(2))).as("p2.png started beside the suspect").isFalse();
            pipeline.release();
            assertThat(suspect.get(30, TimeUnit.SECONDS)).as("the suspect ran").isTrue();
            assertThat(service.assembly().byHand().runNextJob()).as("p2.png claimed once the suspect ended").isTrue();
        }
        assertThat(service.get(jobs.get(1).id()).orElseThrow().status()).as("status of p2.png")
                .isEqualTo(JobStatus.DONE);
        assertThat(pipeline.mostAtOnce()).as("most images made at once").isEqualTo(1);
    }

    @Test
    void a_job_whose_lease_ran_out_while_a_worker_of_this_node_makes_it_is_no_crash_suspect() throws Exception {
        Job job = submittedThenClosed(1).get(0);
        service = ThumbnailService.builder().dataDir(dir).clock(clock).lease(Duration.ofSeconds(30))
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false)).build();
        FutureTask<Boolean> making = new FutureTask<>(service.assembly().byHand()::runNextJob);
        new Thread(making, "worker").start();
        pipeline.awaitHeld();
        clock.advance(Duration.ofSeconds(31)); // no heartbeat renewed its lease

        assertThat(service.assembly().byHand().reapExpiredLeases()).extracting(Job::id)
                .as("taken back once its lease ran out").containsExactly(job.id());
        assertThat(service.assembly().byHand().crashSuspects())
                .as("crash suspects: its process never died, its worker is still at it").isZero();
        pipeline.release();
        making.get(30, TimeUnit.SECONDS);
    }

    /**
     * p1.png and p2.png submitted, p2.png left running by a dead process, and a service started: p1.png, older, is
     * claimed first as an ordinary job and held; p2.png, a suspect, then waits for it. Returns the two jobs.
     */
    private List<Job> aSuspectWaitingBesideAHeldJob() throws SQLException {
        List<Job> jobs = submittedThenClosed(2);
        leftProcessingByADeadProcess(jobs.get(1));
        service = withTwoWorkers(Duration.ofMinutes(5));
        pipeline.awaitHeld();
        awaitWorkerIn("CrashSuspects.runAlone");
        return jobs;
    }

    /** Submits {@code n} jobs to a service that runs none, and closes it. */
    private List<Job> submittedThenClosed(int n) {
        return submittedThenClosed(n, null);
    }

    /** As {@link #submittedThenClosed(int)}, its jobs in the PostgreSQL {@code database} unless null. */
    private List<Job> submittedThenClosed(int n, String database) {
        ThumbnailServiceBuilder builder = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withStartWorkers(false));
        try (ThumbnailService first = (database == null ? builder : builder.database(database).nodeId("first"))
                .build()) {
            return java.util.stream.IntStream.rangeClosed(1, n)
                    .mapToObj(i -> first.submit(ImageSource.of(image(i), "p" + i + ".png"), SPEC,
                            SubmitOptions.defaults()))
                    .toList();
        }
    }

    private static byte[] image(int seed) {
        return TestImages.png(90, 60, seed);
    }

    /** What a node that died while running {@code job} leaves in the PostgreSQL {@code database}: a lease run out. */
    private static void leftRunningByADeadNode(String database, Job job) throws SQLException {
        try (Connection c = DriverManager.getConnection(database);
             PreparedStatement st = c.prepareStatement("UPDATE jobs SET status = 'PROCESSING', attempts = 1,"
                     + " lease_owner = 'a-dead-node', lease_until = now() - interval '1 second', started_at = now()"
                     + " WHERE id = ?")) {
            st.setObject(1, job.id());
            assertThat(st.executeUpdate()).as("rows of the job left running").isEqualTo(1);
        }
    }

    /** What a process killed while running {@code jobs} leaves in the database: them processing, one attempt each. */
    private void leftProcessingByADeadProcess(Job... jobs) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"));
             PreparedStatement st = c.prepareStatement("UPDATE jobs SET status = 'PROCESSING', attempts = 1,"
                     + " lease_owner = 'a-dead-process', lease_until = ?, started_at = ? WHERE id = ?")) {
            for (Job job : jobs) {
                st.setLong(1, clock.millis() + Duration.ofMinutes(5).toMillis());
                st.setLong(2, clock.millis());
                st.setString(3, job.id().toString());
                assertThat(st.executeUpdate()).as("rows of " + job.id()).isEqualTo(1);
            }
        }
    }

    private ThumbnailService withTwoWorkers(Duration jobTimeout) {
        return ThumbnailService.builder().dataDir(dir).clock(clock).workers(2).jobTimeout(jobTimeout)
                .hooks(h -> h.withPipeline(pipeline)).build();
    }

    /** Waits until the worker not making the held image waits, in its idle wait or its turn to run alone. */
    private static void awaitOtherWorkerParked() throws InterruptedException {
        awaitWorkerIn("WorkerPool.idle", "CrashSuspects.runAlone");
    }

    /** Waits until a worker not making the held image is in one of {@code frames}. */
    private static void awaitWorkerIn(String... frames) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (var entry : Thread.getAllStackTraces().entrySet()) {
                String stack = Arrays.toString(entry.getValue());
                if (entry.getKey().getName().startsWith("thumbnail-worker-") && !stack.contains("HoldingPipeline")
                        && Arrays.stream(frames).anyMatch(stack::contains)) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no worker came to " + String.join(" or ", frames));
    }

    /** The real pipeline, holding the making of one image until released, and counting the calls under way. */
    private static final class HoldingPipeline implements Pipeline {
        private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        private final byte[] held;
        private final Set<Integer> started = ConcurrentHashMap.newKeySet();
        private final Set<String> startedWith = ConcurrentHashMap.newKeySet();
        private final AtomicInteger underWay = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();
        private final CountDownLatch heldCall = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        HoldingPipeline(byte[] held) {
            this.held = held;
        }

        @Override
        public Thumbnail thumbnail(byte[] source, ThumbnailSpec spec) {
            mostAtOnce.accumulateAndGet(underWay.incrementAndGet(), Math::max);
            started.add(Arrays.hashCode(source));
            startedWith.add(Arrays.hashCode(source) + " " + spec);
            try {
                if (Arrays.equals(source, held)) {
                    heldCall.countDown();
                    awaitReleaseIgnoringInterrupts();
                }
                return thumbnailer.thumbnail(source, spec);
            } finally {
                underWay.decrementAndGet();
            }
        }

        /** As a decoder does (ImageIO's ignore interrupts): a thread let go may never return. */
        private void awaitReleaseIgnoringInterrupts() {
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (released.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    released.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitHeld() {
            ScriptedPipeline.await(heldCall);
        }

        void release() {
            released.countDown();
        }

        boolean started(byte[] image) {
            return started.contains(Arrays.hashCode(image));
        }

        boolean started(byte[] image, ThumbnailSpec spec) {
            return startedWith.contains(Arrays.hashCode(image) + " " + spec);
        }

        int mostAtOnce() {
            return mostAtOnce.get();
        }
    }
}
