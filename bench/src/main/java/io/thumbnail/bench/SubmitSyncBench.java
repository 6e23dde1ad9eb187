package io.thumbnail.bench;

import io.thumbnail.SubmitOptions;
import io.thumbnail.BenchBuilders;
import io.thumbnail.ImageSource;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What forcing an accepted job's commit to disk costs a submit: the same submits (unique copies of the corpus
 * photos, one after another on one thread, as one client sees them) into a service whose accepting commits are forced
 * ({@code synchronous=FULL} for that commit, the default) and into one where they are not ({@code NORMAL}, as every
 * other commit). Either way the original is forced to disk before the commit, so the difference is the log's one
 * extra flush per submit.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.SubmitSyncBench [PHOTO_DIR] [SUBMITS] [ROUNDS]</pre>
 *
 * Rounds alternate the two (swapping which goes first), each in a fresh data directory, so both see the same
 * machine; the figures are the median and 90th percentile of the wall time per submit over all rounds, and the
 * submitting thread's CPU per submit.
 */
public final class SubmitSyncBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(100, 100);

    private SubmitSyncBench() {
    }

    public static void main(String[] args) throws Exception {
        Path photos = args.length > 0 ? Path.of(args[0]) : defaultPhotos();
        int submits = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<byte[]> originals = photos(photos);
        Path runs = Files.createTempDirectory("submit-sync-bench");
        List<Long> synced = new ArrayList<>();
        List<Long> unsynced = new ArrayList<>();
        long[] cpu = new long[2];
        int tag = 0;
        run(runs.resolve("warm-up"), originals, submits / 2, true, tag, new ArrayList<>(), new long[2], 0);
        tag += submits;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 2; i++) {
                boolean sync = (round + i) % 2 == 0;
                run(runs.resolve("round-" + round + (sync ? "-full" : "-normal")), originals, submits, sync, tag,
                        sync ? synced : unsynced, cpu, sync ? 0 : 1);
                tag += submits;
            }
        }
        double full = percentile(synced, 50);
        double normal = percentile(unsynced, 50);
        System.out.printf(Locale.ROOT, "%d submits x %d rounds of %d photos (%.1f MB on average)%n", submits, rounds,
                originals.size(), originals.stream().mapToLong(b -> b.length).average().orElse(0) / 1e6);
        System.out.printf(Locale.ROOT, "accepting commit forced (FULL):  median %.2f ms, p90 %.2f ms, thread CPU %.2f"
                + " ms per submit%n", full, percentile(synced, 90), cpu[0] / 1e6 / synced.size());
        System.out.printf(Locale.ROOT, "accepting commit as others (NORMAL): median %.2f ms, p90 %.2f ms, thread CPU"
                + " %.2f ms per submit%n", normal, percentile(unsynced, 90), cpu[1] / 1e6 / unsynced.size());
        System.out.printf(Locale.ROOT, "forcing costs %+.2f ms per submit (median), %+.1f %%%n", full - normal,
                100 * (full - normal) / normal);
        System.out.println("data directories left in " + runs + " (delete when done)");
    }

    private static void run(Path dataDir, List<byte[]> originals, int submits, boolean sync, int tag,
                            List<Long> millis, long[] cpu, int slot) {
        try (ThumbnailService service = BenchBuilders.submitOnly(ThumbnailService.builder().dataDir(dataDir), sync)
                .build()) {
            for (int i = 0; i < submits; i++) {
                byte[] photo = originals.get(i % originals.size());
                byte[] prefix = UniqueJpeg.prefix("submit-sync-bench " + (tag + i));
                byte[] unique = new byte[prefix.length + photo.length - 2];
                System.arraycopy(prefix, 0, unique, 0, prefix.length);
                System.arraycopy(photo, 2, unique, prefix.length, photo.length - 2);
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                service.submit(ImageSource.handOver(unique, "photo.jpg"), SPEC, SubmitOptions.defaults());
                millis.add(System.nanoTime() - start);
                cpu[slot] += THREADS.getCurrentThreadCpuTime() - cpuStart;
            }
        }
    }

    private static double percentile(List<Long> nanos, int p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static List<byte[]> photos(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                if (UniqueJpeg.isJpeg(bytes)) {
                    out.add(bytes);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no JPEG photos in " + dir);
        }
        return out;
    }

    private static Path defaultPhotos() {
        String corpus = System.getenv("THUMBNAIL_CORPUS");
        Path root = corpus != null ? Path.of(corpus) : Path.of("..", "shared", "corpus");
        return root.resolve("photos");
    }
}
