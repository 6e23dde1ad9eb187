package io.thumbnail.bench;

import io.thumbnail.bench.Bench.Contender;
import io.thumbnail.bench.Bench.Photo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One contender's figures at one size: per photo, its SSIM and every timed run on one thread and on two threads
 * at once. Throughput on two threads is 2 / (mean time per image while both threads work), so it can be split by
 * source-size group without a separate run per group.
 */
final class Result {
    private final double[] ssim;
    private final List<List<Long>> single = new ArrayList<>();
    private final List<List<Long>> dual = new ArrayList<>();

    private Result(int photos) {
        ssim = new double[photos];
        for (int i = 0; i < photos; i++) {
            single.add(new ArrayList<>());
            dual.add(new ArrayList<>());
        }
    }

    static Result measure(Contender c, List<Photo> photos, int size, int rounds) throws Exception {
        Result r = new Result(photos.size());
        for (int i = 0; i < photos.size(); i++) {
            // Warm-up pass; its output is also the one scored, since every pass makes the same bytes.
            r.ssim[i] = photos.get(i).ssim(c.maker().thumbnail(photos.get(i).data(), size));
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < photos.size(); i++) {
                r.single.get(i).add(time(c, photos.get(i), size));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, task -> new Thread(task, "bench-" + c.name()));
        try {
            AtomicInteger next = new AtomicInteger();
            int total = rounds * photos.size();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                workers.add(pool.submit(() -> {
                    for (int n; (n = next.getAndIncrement()) < total; ) {
                        int i = n % photos.size();
                        long nanos = time(c, photos.get(i), size);
                        synchronized (r) {
                            r.dual.get(i).add(nanos);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return r;
    }

    private static long time(Contender c, Photo photo, int size) {
        long start = System.nanoTime();
        byte[] out = c.maker().thumbnail(photo.data(), size);
        long nanos = System.nanoTime() - start;
        if (out.length == 0) {
            throw new IllegalStateException(c.name() + " made an empty thumbnail of " + photo.path());
        }
        return nanos;
    }

    /** The figures over the photos of one group. */
    Group group(List<Photo> photos, Predicate<Photo> member) {
        List<Long> one = new ArrayList<>();
        List<Long> two = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            if (!member.test(photos.get(i))) {
                continue;
            }
            one.addAll(single.get(i));
            two.addAll(dual.get(i));
            scores.add(ssim[i]);
        }
        return new Group(scores.size(), one, two, scores);
    }

    record Group(int files, List<Long> single, List<Long> dual, List<Double> ssim) {
        double medianMs() {
            long[] sorted = single.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return (sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0) / 1e6;
        }

        double perSecond1() {
            return single.size() / (sum(single) / 1e9);
        }

        double perSecond2() {
            return 2 * dual.size() / (sum(dual) / 1e9);
        }

        double meanSsim() {
            return ssim.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double minSsim() {
            return ssim.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        private static double sum(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).sum();
        }
    }
}
