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
 * at once. Throughput on two threads is 2 / (time per image while both threads work), so it can be split by
 * source group without a separate run per group.
 */
final class Result {
    private final double[] ssim;
    private final List<List<Long>> single = new ArrayList<>();
    private final List<List<Long>> dual = new ArrayList<>();

    private final Contender contender;
    private final List<Photo> photos;
    private final int size;

    private Result(Contender contender, List<Photo> photos, int size) {
        this.contender = contender;
        this.photos = photos;
        this.size = size;
        ssim = new double[photos.size()];
        for (int i = 0; i < photos.size(); i++) {
            single.add(new ArrayList<>());
            dual.add(new ArrayList<>());
        }
    }

    /** A warm-up pass; its output is also the one scored, since every pass makes the same bytes. */
    static Result warmedUp(Contender c, List<Photo> photos, int size) {
        Result r = new Result(c, photos, size);
        for (int i = 0; i < photos.size(); i++) {
            r.ssim[i] = photos.get(i).ssim(c.maker().thumbnail(photos.get(i).data(), size));
        }
        return r;
    }

    /**
     * One round: every photo once on one thread, then every photo once more with two threads at work. The
     * bench interleaves the contenders' rounds, so that changing load on the machine hits all of them alike.
     */
    void round() throws Exception {
        for (int i = 0; i < photos.size(); i++) {
            single.get(i).add(time(contender, photos.get(i), size));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, task -> new Thread(task, "bench-" + contender.name()));
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < photos.size(); ) {
                        long nanos = time(contender, photos.get(i), size);
                        synchronized (this) {
                            dual.get(i).add(nanos);
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

    /**
     * The figures over the photos of one group: each photo's median time over the rounds (so a round slowed by
     * other load on the machine does not count), images/s = photos / the sum of those medians.
     */
    Group group(List<Photo> photos, Predicate<Photo> member) {
        List<Double> one = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            if (!member.test(photos.get(i))) {
                continue;
            }
            one.add(median(single.get(i)));
            two.add(median(dual.get(i)));
            scores.add(ssim[i]);
        }
        return new Group(scores.size(), one, two, scores);
    }

    private static double median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** Per photo of the group: median nanoseconds on one thread, median while two threads work, SSIM. */
    record Group(int files, List<Double> single, List<Double> dual, List<Double> ssim) {
        double perSecond1() {
            return single.size() / (sum(single) / 1e9);
        }

        /** Two threads each take the median time per image, so two images complete in that time. */
        double perSecond2() {
            return 2 * dual.size() / (sum(dual) / 1e9);
        }

        private static double sum(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).sum();
        }
    }
}
