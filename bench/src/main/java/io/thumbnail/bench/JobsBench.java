package io.thumbnail.bench;

import io.thumbnail.ImageSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.Thumbnailer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What the job system costs: jobs/s from submit to done through {@link ThumbnailService}, against the bare
 * {@link Thumbnailer}'s images/s on the same photos, same specs and same number of threads, in the same run.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.JobsBench [PHOTO_DIR] [ROUNDS]</pre>
 *
 * Each round thumbnails every photo once, at a size of its own (so dedupe never short-cuts a job). Bare and service
 * runs alternate, three times each after a warm-up of each, and the best of each is compared.
 */
public final class JobsBench {
    private JobsBench() {
    }

    private record Task(byte[] bytes, String name, ThumbnailSpec spec) {
    }

    /** One timed run: images (or jobs) per wall-clock second, and process CPU milliseconds per image. */
    private record Run(double perSecond, double cpuMillisEach) {
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        Path photos = args.length > 0 ? Path.of(args[0]) : defaultPhotos();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int workers = Runtime.getRuntime().availableProcessors();
        List<Task> tasks = tasks(photos, rounds);
        long bytes = tasks.stream().mapToLong(t -> t.bytes().length).sum();
        System.out.printf(Locale.ROOT, "JobsBench: %d jobs (%d photos x %d rounds, %.1f MB) from %s, %d workers%n",
                tasks.size(), tasks.size() / rounds, rounds, bytes / 1e6, photos, workers);

        // Warm-up: let the JIT compile both paths before anything is timed.
        bare(tasks, workers);
        service(tasks, workers);
        double bestBare = 0;
        double bestService = 0;
        double bareCpu = Double.MAX_VALUE;
        double serviceCpu = Double.MAX_VALUE;
        for (int run = 1; run <= 3; run++) {
            Run b = bare(tasks, workers);
            Run s = service(tasks, workers);
            System.out.printf(Locale.ROOT, "run %d: bare pipeline %.2f images/s (%.1f CPU ms each),"
                    + " job service %.2f jobs/s (%.1f CPU ms each)%n", run, b.perSecond(), b.cpuMillisEach(),
                    s.perSecond(), s.cpuMillisEach());
            bestBare = Math.max(bestBare, b.perSecond());
            bestService = Math.max(bestService, s.perSecond());
            bareCpu = Math.min(bareCpu, b.cpuMillisEach());
            serviceCpu = Math.min(serviceCpu, s.cpuMillisEach());
        }
        System.out.printf(Locale.ROOT, "best wall clock: bare %.2f images/s, service %.2f jobs/s: overhead %.1f%%%n",
                bestBare, bestService, (bestBare / bestService - 1) * 100);
        System.out.printf(Locale.ROOT, "best CPU: bare %.1f ms/image, service %.1f ms/job: overhead %.1f%%"
                + " (target < 10%%; CPU time is the steadier figure on a shared machine)%n", bareCpu, serviceCpu,
                (serviceCpu / bareCpu - 1) * 100);
    }

    private static Path defaultPhotos() {
        String corpus = System.getenv("THUMBNAIL_CORPUS");
        Path root = corpus != null ? Path.of(corpus) : Path.of("..", "shared", "corpus");
        if (!root.isAbsolute() && System.getenv("THUMBNAIL_REPO_ROOT") != null) {
            root = Path.of(System.getenv("THUMBNAIL_REPO_ROOT")).resolve(root);
        }
        return root.resolve("photos");
    }

    private static List<Task> tasks(Path photos, int rounds) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(photos)) {
            files = list.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no photos in " + photos + " (pass a folder or set THUMBNAIL_CORPUS)");
        }
        List<Task> tasks = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ThumbnailSpec spec = ThumbnailSpec.box(256 + round, 256 + round);
            for (Path file : files) {
                tasks.add(new Task(Files.readAllBytes(file), file.getFileName().toString(), spec));
            }
        }
        return tasks;
    }

    /** Images/s of the bare pipeline on {@code workers} threads. */
    private static Run bare(List<Task> tasks, int workers) throws Exception {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        AtomicInteger next = new AtomicInteger();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < tasks.size(); ) {
                    Thumbnailer.sha256(thumbnailer.thumbnail(tasks.get(i).bytes(), tasks.get(i).spec()).bytes());
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMillis = (cpuNanos() - cpu) / 1e6;
        pool.shutdown();
        return new Run(tasks.size() / seconds, cpuMillis / tasks.size());
    }

    /** Jobs/s through a fresh service: from the first submit to the last job done. */
    private static Run service(List<Task> tasks, int workers) throws Exception {
        Path dataDir = Files.createTempDirectory("jobs-bench");
        try {
            CountDownLatch finished = new CountDownLatch(tasks.size());
            AtomicInteger failed = new AtomicInteger();
            long start;
            long end;
            long cpu;
            long cpuEnd;
            try (ThumbnailService service = ThumbnailService.builder().dataDir(dataDir).workers(workers).build()) {
                service.addListener(job -> {
                    if (job.status().isFinished()) {
                        if (job.status() == JobStatus.FAILED) {
                            failed.incrementAndGet();
                        }
                        finished.countDown();
                    }
                });
                cpu = cpuNanos();
                start = System.nanoTime();
                for (Task task : tasks) {
                    service.submit(ImageSource.of(task.bytes(), task.name()), task.spec());
                }
                if (!finished.await(30, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("jobs did not finish within 30 minutes");
                }
                end = System.nanoTime();
                cpuEnd = cpuNanos();
            }
            if (failed.get() > 0) {
                System.out.println("warning: " + failed.get() + " jobs failed");
            }
            return new Run(tasks.size() / ((end - start) / 1e9), (cpuEnd - cpu) / 1e6 / tasks.size());
        } finally {
            try (Stream<Path> walk = Files.walk(dataDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

}
