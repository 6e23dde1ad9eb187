package io.thumbnail.bench;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the server's resident set size ({@code VmRSS}) every 100 ms on a named daemon thread; keeps the peak. */
final class RssSampler implements AutoCloseable {
    private final ServerProcess server;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(ServerProcess server) {
        this.server = server;
        this.thread = new Thread(this::sample, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            OptionalLong rss = server.procStatusBytes("VmRSS");
            if (rss.isEmpty()) {
                return;
            }
            samples.incrementAndGet();
            peak.accumulateAndGet(rss.getAsLong(), Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The highest sampled VmRSS in bytes (0 without /proc). */
    long peakBytes() {
        return peak.get();
    }

    long sampleCount() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1000);
    }
}
