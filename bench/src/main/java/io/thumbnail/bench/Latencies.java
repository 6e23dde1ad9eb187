package io.thumbnail.bench;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, recorded from several threads, read as percentiles once recording is over.
 * Bounded: past {@code capacity} samples only the count grows (the percentiles then describe the first ones).
 */
final class Latencies {
    private final int capacity;
    private long[] samples = new long[1024];
    private int size;
    private long count;

    Latencies(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(long nanos) {
        count++;
        if (size == capacity) {
            return;
        }
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, Math.min(capacity, samples.length * 2));
        }
        samples[size++] = nanos;
    }

    synchronized long count() {
        return count;
    }

    /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank; NaN without samples. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    synchronized double maxMillis() {
        long max = 0;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, samples[i]);
        }
        return size == 0 ? Double.NaN : max / 1e6;
    }
}
