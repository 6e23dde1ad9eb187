package io.thumbnail.bench;

import io.thumbnail.Limits;
import io.thumbnail.Thumbnailer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The bare pipeline's images/s, as the yardstick for {@link LoadBench}: {@link Thumbnailer} on N threads over the
 * given photos, round-robin, each use of a photo the load's variant of it ({@link ThumbnailVariants}), for a fixed
 * time after a warm-up. LoadBench runs it in a child JVM with the server's
 * heap size, so both see the same memory limit.
 *
 * <pre>java -Xmx256m -cp bench.jar io.thumbnail.bench.BarePipeline --threads 2 --seconds 30 --warmup 5 --size 100 FILE...</pre>
 *
 * The last line is {@code images/s=<value> cpu-ms/image=<value>}, for the parent to read; CPU time is the steadier
 * figure on a shared machine.
 */
public final class BarePipeline {
    static final String THREAD_PREFIX = "bare-";
    /** How the line of CPU per image by group of threads starts, for {@link LoadBench} to read. */
    static final String BY_THREAD = "bare pipeline CPU per image by thread: ";

    private BarePipeline() {
    }

    public static void main(String[] args) throws Exception {
        int threads = 2;
        double seconds = 30;
        double warmup = 5;
        int size = 100;
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                default -> photos.add(Files.readAllBytes(Path.of(args[i])));
            }
        }
        if (photos.isEmpty()) {
            System.err.println("usage: BarePipeline [--threads N] [--seconds S] [--warmup S] [--size PX] FILE...");
            System.exit(2);
        }
        ThumbnailVariants variants = new ThumbnailVariants(size);
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        run(thumbnailer, variants, photos, threads, warmup);
        long cpu = cpuNanos();
        ThreadCpu.Sample before = ThreadCpu.of(ProcessHandle.current().pid());
        long[] counted = run(thumbnailer, variants, photos, threads, seconds);
        double cpuMillisEach = (cpuNanos() - cpu) / 1e6 / counted[0];
        // The timed run's threads have ended by now: their time is what no surviving thread accounts for.
        System.out.println(BY_THREAD + ThreadCpu.perJob(before,
                ThreadCpu.of(ProcessHandle.current().pid()), counted[0], (cpuNanos() - cpu) / 1_000_000, "workers"));
        double perSecond = counted[0] / (counted[1] / 1e9);
        System.out.printf(Locale.ROOT, "bare pipeline: %d images in %.1f s on %d threads (-Xmx %d MB): %.2f images/s,"
                + " %.0f CPU ms each%n", counted[0], counted[1] / 1e9, threads, Runtime.getRuntime().maxMemory() >> 20,
                perSecond, cpuMillisEach);
        System.out.printf(Locale.ROOT, "images/s=%.4f cpu-ms/image=%.2f%n", perSecond, cpuMillisEach);
    }

    /** This process's CPU time, all threads (JIT and GC too, as for the server). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Thumbnails the photos in turn on {@code threads} threads until {@code seconds} pass; returns {images, nanos}.
     * Each thread takes the next photo of one shared sequence, so the images done are the photos in equal shares
     * whatever each one costs (as the load generator's uploads are). A fixed share per thread would not do: with 2
     * threads and 6 photos one thread could get the 3 light ones, do many times as many images in the same time, and
     * the mix, and so images/s, would lean to the light photos.
     */
    private static long[] run(Thumbnailer thumbnailer, ThumbnailVariants variants, List<byte[]> photos, int threads,
                              double seconds) throws InterruptedException {
        AtomicLong images = new AtomicLong();
        AtomicLong turn = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            // A copy of the photos per thread, whose luma DC quantiser it sets for each use.
            List<byte[]> own = photos.stream().map(byte[]::clone).toList();
            int[] dcAt = own.stream().mapToInt(UniqueJpeg::lumaDcQuantiserAt).toArray();
            int[] dc = IntStream.range(0, own.size()).map(p -> dcAt[p] < 0 ? 0 : own.get(p)[dcAt[p]] & 0xff).toArray();
            Thread worker = new Thread(() -> {
                // Bounded by time and by count, like every load loop here.
                for (long i = turn.getAndIncrement(); System.nanoTime() < end && i < 10_000_000;
                     i = turn.getAndIncrement()) {
                    int p = (int) (i % own.size());
                    long use = i / own.size();
                    if (dcAt[p] >= 0) {
                        own.get(p)[dcAt[p]] = (byte) variants.dcQuantiser(dc[p], use);
                    }
                    thumbnailer.thumbnail(own.get(p), variants.spec(use));
                    images.incrementAndGet();
                }
            }, THREAD_PREFIX + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new long[] {images.get(), System.nanoTime() - start};
    }
}
