package io.thumbnail.bench;

import io.thumbnail.ImageSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Limits;
import io.thumbnail.SubmitOptions;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.TimedPipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two kinds of timed run {@link JobsBench} alternates: the bare {@link io.thumbnail.Thumbnailer} on a pool of
 * threads, and the same tasks as jobs through a fresh {@link io.thumbnail.ThumbnailService} with its pipeline calls
 * timed ({@link io.thumbnail.TimedPipeline}); each samples CPU, GC and JIT time around exactly its timed part.
 */
final class JobsRuns {
    private JobsRuns() {
    }

    record Task(byte[] bytes, String name, ThumbnailSpec spec) {
    }

    /**
     * One timed run: images (or jobs) per wall-clock second; process CPU milliseconds per image (every thread,
     * GC and JIT included); and the CPU milliseconds per image of the threads doing the work (bare: the pool; service:
     * the submitting thread, the workers and every other {@code thumbnail-} thread), which the JIT and the GC do not
     * blur; for the service also the part of the latter spent inside pipeline calls.
     */
    record Run(double perSecond, double cpuMillisEach, double threadCpuMillisEach,
                       double pipelineCpuMillisEach, double jitMillisEach, String byThread) {
        /** Process CPU per image less the JIT compiler threads'. */
        double cpuLessJitEach() {
            return cpuMillisEach - jitMillisEach;
        }
    }

    /** Images/s of the bare pipeline on {@code workers} threads. */
    static Run bare(List<Task> tasks, int workers) throws Exception {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers,
                r -> new Thread(r, BarePipeline.THREAD_PREFIX + threadNumber.incrementAndGet()));
        try {
            AtomicInteger next = new AtomicInteger();
            AtomicLong threadCpu = new AtomicLong();
            // Start the pool's threads first, so their time can be sampled from the start of the run.
            for (Future<?> f : startThreads(pool, workers)) {
                f.get();
            }
            JvmCpu.letJitSettle();
            ThreadCpu.Sample threads = ThreadCpu.of(ProcessHandle.current().pid());
            GcPauses pauses = GcPauses.take();
            Map<String, Long> causes = GcCauses.snapshot();
            WorkerTime workersBefore = WorkerTime.take();
            long cpu = JvmCpu.processNanos();
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    long mine = JvmCpu.currentThreadNanos();
                    for (int i; (i = next.getAndIncrement()) < tasks.size(); ) {
                        Thumbnailer.sha256(thumbnailer.thumbnail(tasks.get(i).bytes(), tasks.get(i).spec()).bytes());
                    }
                    threadCpu.addAndGet(JvmCpu.currentThreadNanos() - mine);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            WorkerTime workersAfter = WorkerTime.take();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMillis = (JvmCpu.processNanos() - cpu) / 1e6;
            ThreadCpu.Sample threadsAfter = ThreadCpu.of(ProcessHandle.current().pid());
            String byThread = ThreadCpu.perJob(threads, threadsAfter, tasks.size(), (long) cpuMillis, "other")
                    + "; GC " + GcPauses.take().since(pauses) + "\n  GC pauses by cause: " + GcCauses.since(causes)
                    + "\n  bare threads: " + workersAfter.since(workersBefore, workers);
            return new Run(tasks.size() / seconds, cpuMillis / tasks.size(), threadCpu.get() / 1e6 / tasks.size(),
                    Double.NaN, ThreadCpu.groupMillis(threads, threadsAfter, "JIT") / (double) tasks.size(), byThread);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /**
     * Jobs/s through a fresh service: from the first submit to the last job done. Opening and closing the service
     * (store, threads) are outside the timing; the submits, on this thread, are inside it.
     */
    static Run service(List<Task> tasks, int workers, Path runs) throws Exception {
        // Kept until the bench ends (see the class comment): deleting it now would slow the next runs' file creation.
        Path dataDir = Files.createTempDirectory(runs, "run");
        CountDownLatch finished = new CountDownLatch(tasks.size());
        AtomicInteger failed = new AtomicInteger();
        long start;
        long end;
        long cpu;
        long cpuEnd;
        long threadCpu;
        long jit;
        String byThread;
        TimedPipeline timer = new TimedPipeline();
        try (ThumbnailService service = timer.install(ThumbnailService.builder().dataDir(dataDir).workers(workers),
                Thumbnailer.create(Limits.defaults())).build()) {
            service.addListener(job -> {
                if (job.status().isFinished()) {
                    if (job.status() == JobStatus.FAILED) {
                        failed.incrementAndGet();
                    }
                    finished.countDown();
                }
            });
            JvmCpu.letJitSettle();
            long serviceThreadsBefore = JvmCpu.threadNanos("thumbnail-");
            ThreadCpu.Sample threads = ThreadCpu.of(ProcessHandle.current().pid());
            JavaThreadCpu.Snapshot javaThreads = JavaThreadCpu.take();
            GcPauses pauses = GcPauses.take();
            Map<String, Long> causes = GcCauses.snapshot();
            WorkerTime workersBefore = WorkerTime.take();
            cpu = JvmCpu.processNanos();
            start = System.nanoTime();
            long submitting = JvmCpu.currentThreadNanos();
            for (Task task : tasks) {
                // handOver, as for bytes read for this submit (the server's uploads): these arrays never change, so
                // the service may give the very array to the worker. With ImageSource.of it keeps a copy of each
                // photo until its last job is done: 6 photo-sized arrays more live through the run, which pushed G1
                // into rounds of 48 concurrent cycles started by humongous allocations (the bare runs: 5 to 13).
                service.submit(ImageSource.handOver(task.bytes(), task.name()), task.spec(), SubmitOptions.defaults());
            }
            submitting = JvmCpu.currentThreadNanos() - submitting;
            if (!finished.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("jobs did not finish within 30 minutes");
            }
            end = System.nanoTime();
            WorkerTime workersAfter = WorkerTime.take();
            cpuEnd = JvmCpu.processNanos();
            ThreadCpu.Sample threadsAfter = ThreadCpu.of(ProcessHandle.current().pid());
            jit = ThreadCpu.groupMillis(threads, threadsAfter, "JIT");
            byThread = ThreadCpu.perJob(threads, threadsAfter, tasks.size(), (cpuEnd - cpu) / 1_000_000, "other")
                    + "; GC " + GcPauses.take().since(pauses) + "\n  GC pauses by cause: " + GcCauses.since(causes)
                    + "\n  service workers: " + workersAfter.since(workersBefore, workers);
            byThread += "\n  service's Java threads, CPU ms/job: " + javaThreads(JavaThreadCpu.between(javaThreads,
                    JavaThreadCpu.take()), submitting, timer.cpuNanos(), tasks.size());
            threadCpu = submitting + JvmCpu.threadNanos("thumbnail-") - serviceThreadsBefore;
        }
        if (failed.get() > 0) {
            System.out.println("warning: " + failed.get() + " jobs failed");
        }
        return new Run(tasks.size() / ((end - start) / 1e9), (cpuEnd - cpu) / 1e6 / tasks.size(),
                threadCpu / 1e6 / tasks.size(), timer.cpuNanos() / 1e6 / tasks.size(), jit / (double) tasks.size(),
                byThread);
    }

    /** Has each of the pool's {@code workers} threads run once (a fixed pool starts one per task submitted). */
    private static List<Future<?>> startThreads(ExecutorService pool, int workers) {
        CountDownLatch all = new CountDownLatch(workers);
        List<Future<?>> started = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            started.add(pool.submit(() -> {
                all.countDown();
                all.await();
                return null;
            }));
        }
        return started;
    }

    /**
     * The service's Java threads by kind in CPU ms per job: the submitting thread, the workers outside pipeline calls,
     * then every other kind that used at least 0.005 ms per job.
     */
    private static String javaThreads(Map<String, Long> byKind, long submittingNanos, long pipelineNanos, int jobs) {
        StringJoiner out = new StringJoiner(", ");
        out.add(String.format(Locale.ROOT, "submitter %.2f", submittingNanos / 1e6 / jobs));
        out.add(String.format(Locale.ROOT, "workers outside pipeline %.2f",
                (byKind.getOrDefault("thumbnail-worker", 0L) - pipelineNanos) / 1e6 / jobs));
        byKind.forEach((kind, nanos) -> {
            if (!kind.equals("thumbnail-worker") && !kind.equals("main") && nanos / 1e6 / jobs >= 0.005) {
                out.add(String.format(Locale.ROOT, "%s %.2f", kind.replaceFirst("^thumbnail-", ""),
                        nanos / 1e6 / jobs));
            }
        });
        return out.toString();
    }
}
