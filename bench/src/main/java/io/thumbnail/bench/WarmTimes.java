package io.thumbnail.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM thumbnailer's steady state, in this process after a warm-up pass: the CPU time of each photo's thumbnail
 * on one thread, from encoded bytes in memory to encoded bytes, the median over the rounds. Rounds of the tools
 * are interleaved by the caller, so that load from elsewhere on the machine falls on all of them alike.
 */
final class WarmTimes {
    private final Bench.Maker maker;
    private final List<Photo> photos;
    private final int size;
    private final List<List<Long>> nanos = new ArrayList<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    WarmTimes(Bench.Maker maker, List<Photo> photos, int size) {
        this.maker = maker;
        this.photos = photos;
        this.size = size;
        for (Photo photo : photos) {
            maker.thumbnail(photo.data(), size);
            nanos.add(new ArrayList<>());
        }
    }

    void round() {
        for (int i = 0; i < photos.size(); i++) {
            long start = THREADS.getCurrentThreadCpuTime();
            byte[] out = maker.thumbnail(photos.get(i).data(), size);
            nanos.get(i).add(THREADS.getCurrentThreadCpuTime() - start);
            if (out.length == 0) {
                throw new IllegalStateException("an empty thumbnail of " + photos.get(i).path());
            }
        }
    }

    /** Milliseconds of CPU per image over the photos {@code of} (a subset of this one's), each its median. */
    double msPerImage(List<Photo> of) {
        double sum = 0;
        for (Photo photo : of) {
            long[] sorted = nanos.get(photos.indexOf(photo)).stream().mapToLong(Long::longValue).sorted().toArray();
            int n = sorted.length;
            sum += n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        }
        return sum / of.size() / 1e6;
    }
}
