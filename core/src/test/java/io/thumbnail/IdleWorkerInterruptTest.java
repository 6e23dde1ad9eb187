package io.thumbnail;

import io.thumbnail.internal.image.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An interrupt reaching an idle worker concerns that worker alone: the pool goes on taking jobs with all its threads.
 * Workers here wait for submits only (an hour's idle wait), so a job is claimed only by a worker still claiming.
 */
class IdleWorkerInterruptTest {
    private static final int WORKERS = 3;
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A thread's state has no event to wait on: it is looked at every millisecond. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path dir;
    private final HoldingPipeline pipeline = new HoldingPipeline();
    private ThumbnailService service;
    private int seed;

    @AfterEach
    void close() {
        pipeline.release();
        if (service != null) {
            service.close();
        }
    }

    @Test
    void interrupting_one_idle_worker_leaves_the_others_claiming() throws InterruptedException {
        List<Thread> workers = startAndFindTheWorkers();

        Set<Thread> claimed = claimersAfterInterruptingWhileIdle(workers.get(0));

        assertThat(claimed).as("workers that claimed a job after %s was interrupted while idle",
                workers.get(0).getName()).containsAll(workers.subList(1, WORKERS));
    }

    @Test
    void an_idle_worker_interrupted_goes_on_claiming() throws InterruptedException {
        List<Thread> workers = startAndFindTheWorkers();

        Set<Thread> claimed = claimersAfterInterruptingWhileIdle(workers.get(0));

        assertThat(claimed).as("workers that claimed a job after %s was interrupted while idle",
                workers.get(0).getName()).contains(workers.get(0));
    }

    /** Starts the service and returns its worker threads, each of which ran one job and is idle again. */
    private List<Thread> startAndFindTheWorkers() throws InterruptedException {
        service = ThumbnailService.builder().dataDir(dir).workers(WORKERS)
                .hooks(h -> h.withIdleWait(Duration.ofHours(1)).withPipeline(pipeline)).build();
        List<Thread> workers = new ArrayList<>(claimersOf(WORKERS));
        assertThat(workers).as("distinct worker threads holding a job at once").hasSize(WORKERS);
        for (Thread worker : workers) {
            awaitTrue(() -> isIdle(worker), worker.getName() + " idle after its job");
        }
        return workers;
    }

    /**
     * Submits {@code jobs} jobs, each held by the worker that claims it until as many workers hold one (or none has
     * come for 30 s), then lets them finish; returns the threads that claimed them.
     */
    private Set<Thread> claimersOf(int jobs) throws InterruptedException {
        pipeline.expect(jobs);
        List<Job> submitted = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            seed++;
            submitted.add(service.submit(ImageSource.of(TestImages.png(40, 30, seed), "w" + seed + ".png"),
                    ThumbnailSpec.box(20, 20), SubmitOptions.defaults()));
        }
        Set<Thread> claimers = pipeline.awaitHolders();
        pipeline.release();
        if (claimers.size() == jobs) {
            for (Job job : submitted) {
                assertThat(service.await(job.id(), Duration.ofSeconds(30)).status()).as("job %s", job.id())
                        .isEqualTo(JobStatus.DONE);
            }
        }
        return claimers;
    }

    /**
     * Interrupts {@code worker} in its idle wait and, once it has dealt with the interrupt, submits a job per worker:
     * returns the workers that claimed one.
     */
    private Set<Thread> claimersAfterInterruptingWhileIdle(Thread worker) throws InterruptedException {
        worker.interrupt();
        // Waiting again with the flag cleared (its wait threw, and a new one began), or ended.
        awaitTrue(() -> !worker.isAlive() || !worker.isInterrupted() && isIdle(worker),
                worker.getName() + " done with its interrupt");
        return claimersOf(WORKERS);
    }

    /** In {@code WorkerPool.idle}, waiting for a submit. */
    private static boolean isIdle(Thread worker) {
        return worker.getState() == Thread.State.TIMED_WAITING && Arrays.stream(worker.getStackTrace())
                .anyMatch(frame -> frame.getClassName().endsWith(".WorkerPool") && frame.getMethodName().equals("idle"));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for %s", what).isNegative();
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The real pipeline, each call held until {@link #release}: the threads holding a job show who claimed one. */
    private static final class HoldingPipeline implements Pipeline {
        private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        private final Set<Thread> holders = new LinkedHashSet<>();
        private int expected;
        private CountDownLatch gate = new CountDownLatch(0);

        synchronized void expect(int holders) {
            this.holders.clear();
            this.expected = holders;
            this.gate = new CountDownLatch(1);
        }

        /** The threads holding a job once {@code expected} do, or when none has come for 30 s. */
        synchronized Set<Thread> awaitHolders() {
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            int seen = holders.size();
            while (holders.size() < expected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (holders.size() > seen) {
                    seen = holders.size();
                    deadline = System.nanoTime() + PATIENCE_NANOS;
                }
            }
            return Set.copyOf(holders);
        }

        synchronized void release() {
            gate.countDown();
        }

        @Override
        public Thumbnail thumbnail(byte[] source, ThumbnailSpec spec) {
            CountDownLatch held;
            synchronized (this) {
                holders.add(Thread.currentThread());
                notifyAll();
                held = gate;
            }
            ScriptedPipeline.await(held);
            return thumbnailer.thumbnail(source, spec);
        }
    }
}
