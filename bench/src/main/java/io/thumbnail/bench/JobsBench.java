package io.thumbnail.bench;

import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;
import io.thumbnail.TimedPipeline;
import io.thumbnail.bench.JobsRuns.Run;
import io.thumbnail.bench.JobsRuns.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the job system costs: jobs/s from submit to done through {@link ThumbnailService}, against the bare
 * {@link Thumbnailer}'s images/s on the same photos, same specs and same number of threads, in the same run.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.JobsBench [PHOTO_DIR] [COPIES] [ROUNDS] [WORKERS] [WARM_UPS]</pre>
 *
 * A run thumbnails every photo {@code COPIES} times (default 32), each copy at a size of its own, so dedupe never
 * short-cuts a job. With the corpus's 6 photos a run is 192 jobs, about 2 s: in much shorter runs a run's start and
 * tail (one worker idle while the other finishes the last job) and the machine's second-to-second noise swing the
 * per-round ratio by tens of per cent even on an idle machine. After
 * {@code WARM_UPS} warm-up runs of each (default {@value #DEFAULT_WARM_UPS}, so that the JIT
 * has settled in both: what is measured is the steady state), bare and service runs alternate for {@code ROUNDS}
 * rounds (default 9), swapping which goes first each round, so both see the same machine. The machine may be shared,
 * so the figures that count are CPU milliseconds per image and the median over rounds of the service/bare ratio. Wall
 * clock is printed too but only means something on an otherwise idle machine: under contention the service, with
 * more runnable threads (the submitting thread, workers, finisher), simply gets a larger share of the cores than the
 * bare pool. Before each timed run the bench waits (up to a second) for the JIT to go quiet, so compilations queued
 * by the previous run or by opening the service are not billed to it. The JIT compiler threads' CPU is printed for
 * each run, and the process CPU overhead is printed also without it; nothing else is left out.
 *
 * <p>Each service run gets a fresh data directory, and all of them are deleted only when the bench ends. Deleting
 * each at the end of its run (256 folders and some 60 files, every second or so) makes every file the next runs
 * create cost measurably more CPU: ext4 without a journal, as on the machine these figures come from, looks at
 * every inode freed in the last few seconds before it reuses one ({@code recently_deleted} in the kernel's inode
 * allocator). A service does not delete its own store twice a second, so that cost was the bench's, not the
 * service's.
 *
 * <p>The steadiest figure needs no second run at all: within each service run the pipeline calls are timed in thread
 * CPU ({@link TimedPipeline}), so the bookkeeping is the service threads' CPU outside those calls (less the source
 * hashing, which the bare pipeline does too), over the pipeline's. Each service run also prints its Java threads' CPU
 * by kind ({@link JavaThreadCpu}): the submitting thread, the workers outside pipeline calls, the finisher, the events
 * thread.
 */
public final class JobsBench {
    private JobsBench() {
    }

    /**
     * Warm-up runs of each kind before the timed rounds. The pipeline's loops are compiled within the first runs, but
     * the service's own per-job code (claim, insert, done, blob writes) runs once per job, so the JIT keeps compiling
     * it for the first thousands of jobs, and a short warm-up bills that compilation to the service and swings the
     * comparison by whole percentage points. A service that runs for hours is past that, so that is what is measured:
     * the default of 25 runs of 32 copies of 6 photos is 4,800 jobs. The JIT is then quiet in the bare runs, not quite
     * in the service runs (per-job methods still reaching C2, some recompiled), and warming up for longer does not
     * settle it; the JIT's share is printed apart (BENCHMARKS.md, Job service).
     */
    static final int DEFAULT_WARM_UPS = 25;

    public static void main(String[] args) throws Exception {
        Path photos = args.length > 0 ? Path.of(args[0]) : defaultPhotos();
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        int warmUps = args.length > 4 ? Integer.parseInt(args[4]) : DEFAULT_WARM_UPS;
        List<Task> tasks = tasks(photos, copies);
        long bytes = tasks.stream().mapToLong(t -> t.bytes().length).sum();
        System.out.printf(Locale.ROOT, "JobsBench: %d images per run (%d photos x %d copies, %.1f MB) from %s,"
                + " %d workers, %d warm-up runs of each, %d rounds%n", tasks.size(), tasks.size() / copies, copies,
                bytes / 1e6, photos, workers, warmUps, rounds);

        GcCauses.listen();
        Path runs = Files.createTempDirectory("jobs-bench");
        try {
            measure(tasks, workers, warmUps, rounds, runs);
        } finally {
            TempFolders.delete(runs);
        }
    }

    private static void measure(List<Task> tasks, int workers, int warmUps, int rounds, Path runs) throws Exception {
        // Warm-up: let the JIT compile both paths before anything is timed.
        for (int i = 0; i < warmUps; i++) {
            JobsRuns.bare(tasks, workers);
            JobsRuns.service(tasks, workers, runs);
        }
        // The bare pipeline hashes each source; in the service submit does, outside the pipeline call.
        double hashing = hashingMillisEach(tasks);
        double[] bareRate = new double[rounds];
        double[] serviceRate = new double[rounds];
        double[] bareCpu = new double[rounds];
        double[] serviceCpu = new double[rounds];
        double[] wallOverhead = new double[rounds];
        double[] cpuOverhead = new double[rounds];
        double[] bareThreadCpu = new double[rounds];
        double[] serviceThreadCpu = new double[rounds];
        double[] threadCpuOverhead = new double[rounds];
        double[] inRunOverhead = new double[rounds];
        double[] outside = new double[rounds];
        double[] inside = new double[rounds];
        double[] bareJit = new double[rounds];
        double[] serviceJit = new double[rounds];
        double[] cpuLessJitOverhead = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Run b;
            Run s;
            if (r % 2 == 0) {
                b = JobsRuns.bare(tasks, workers);
                s = JobsRuns.service(tasks, workers, runs);
            } else {
                s = JobsRuns.service(tasks, workers, runs);
                b = JobsRuns.bare(tasks, workers);
            }
            bareRate[r] = b.perSecond();
            serviceRate[r] = s.perSecond();
            bareCpu[r] = b.cpuMillisEach();
            serviceCpu[r] = s.cpuMillisEach();
            wallOverhead[r] = (b.perSecond() / s.perSecond() - 1) * 100;
            cpuOverhead[r] = (s.cpuMillisEach() / b.cpuMillisEach() - 1) * 100;
            bareThreadCpu[r] = b.threadCpuMillisEach();
            serviceThreadCpu[r] = s.threadCpuMillisEach();
            threadCpuOverhead[r] = (s.threadCpuMillisEach() / b.threadCpuMillisEach() - 1) * 100;
            inside[r] = s.pipelineCpuMillisEach();
            outside[r] = s.threadCpuMillisEach() - s.pipelineCpuMillisEach();
            inRunOverhead[r] = (outside[r] - hashing) / (inside[r] + hashing) * 100;
            bareJit[r] = b.jitMillisEach();
            serviceJit[r] = s.jitMillisEach();
            cpuLessJitOverhead[r] = (s.cpuLessJitEach() / b.cpuLessJitEach() - 1) * 100;
            System.out.printf(Locale.ROOT, "round %d: bare %.2f img/s %.1f CPU ms/image (threads %.1f) | service %.2f"
                            + " jobs/s %.1f CPU ms/job (threads %.1f) | overhead CPU %+.1f%% (threads %+.1f%%),"
                            + " wall %+.1f%%; in the service run: pipeline %.1f, outside it %.2f ms/job: bookkeeping"
                            + " %+.1f%%%n", r + 1, b.perSecond(), b.cpuMillisEach(), b.threadCpuMillisEach(),
                    s.perSecond(), s.cpuMillisEach(), s.threadCpuMillisEach(), cpuOverhead[r],
                    threadCpuOverhead[r], wallOverhead[r], inside[r], outside[r], inRunOverhead[r]);
            System.out.printf(Locale.ROOT, "  CPU by thread: bare %s | service %s%n", b.byThread(), s.byThread());
        }
        System.out.printf(Locale.ROOT, "median bare pipeline: %.2f img/s, %.1f CPU ms/image (working threads %.1f)%n",
                median(bareRate), median(bareCpu), median(bareThreadCpu));
        System.out.printf(Locale.ROOT, "median job service:   %.2f jobs/s, %.1f CPU ms/job (working threads %.1f)%n",
                median(serviceRate), median(serviceCpu), median(serviceThreadCpu));
        System.out.printf(Locale.ROOT, "median overhead of the job service: process CPU %+.1f%%, working threads' CPU"
                + " %+.1f%%, wall clock %+.1f%% (target < 10%%; CPU is the steadier figure on a shared machine)%n",
                median(cpuOverhead), median(threadCpuOverhead), median(wallOverhead));
        System.out.printf(Locale.ROOT, "median JIT compiler threads: bare %.2f, service %.2f CPU ms/job; process CPU"
                + " less the JIT's: overhead %+.1f%%%n", median(bareJit), median(serviceJit),
                median(cpuLessJitOverhead));
        System.out.printf(Locale.ROOT, "median bookkeeping within the service run: %+.1f%% (CPU outside pipeline calls"
                + " %.2f ms/job, less %.2f ms of source hashing the bare pipeline does too, over pipeline %.1f +"
                + " hashing; target < 10%%)%n", median(inRunOverhead), median(outside), hashing, median(inside));
    }

    /** Thread CPU milliseconds per image to hash every source, the best of three passes. */
    private static double hashingMillisEach(List<Task> tasks) {
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < 3; pass++) {
            long start = JvmCpu.currentThreadNanos();
            for (Task task : tasks) {
                Thumbnailer.sha256(task.bytes());
            }
            best = Math.min(best, (JvmCpu.currentThreadNanos() - start) / 1e6 / tasks.size());
        }
        return best;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Path defaultPhotos() {
        String corpus = System.getenv("THUMBNAIL_CORPUS");
        Path root = corpus != null ? Path.of(corpus) : Path.of("..", "shared", "corpus");
        if (!root.isAbsolute() && System.getenv("THUMBNAIL_REPO_ROOT") != null) {
            root = Path.of(System.getenv("THUMBNAIL_REPO_ROOT")).resolve(root);
        }
        return root.resolve("photos");
    }

    private static List<Task> tasks(Path photos, int copies) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(photos)) {
            files = list.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no photos in " + photos + " (pass a folder or set THUMBNAIL_CORPUS)");
        }
        // One array per photo, shared by its copies: 32 arrays of each would keep 168 MB of the bench's own input
        // alive, and every G1 marking cycle (started by the photo-sized allocations of either run) would trace it.
        List<byte[]> contents = new ArrayList<>();
        for (Path file : files) {
            contents.add(Files.readAllBytes(file));
        }
        List<Task> tasks = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            ThumbnailSpec spec = ThumbnailSpec.box(256 + copy, 256 + copy);
            for (int i = 0; i < files.size(); i++) {
                tasks.add(new Task(contents.get(i), files.get(i).getFileName().toString(), spec));
            }
        }
        return tasks;
    }
}
