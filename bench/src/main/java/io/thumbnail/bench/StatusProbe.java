package io.thumbnail.bench;

import java.io.IOException;

/**
 * What a client polling for its job sees while the workers are busy: GET /api/v1/thumbnails/{id} of one known job,
 * back to back (or every {@code intervalMillis}) on one thread, until stopped or {@code maxRequests} are made.
 */
final class StatusProbe implements Runnable {
    private final ThumbnailApi api;
    private final String jobId;
    private final long intervalMillis;
    private final long maxRequests;
    private final Latencies latencies = new Latencies(2_000_000);
    private final HttpTally tally = new HttpTally();
    private volatile boolean running = true;
    private volatile long elapsedNanos;

    StatusProbe(ThumbnailApi api, String jobId, long intervalMillis, long maxRequests) {
        this.api = api;
        this.jobId = jobId;
        this.intervalMillis = intervalMillis;
        this.maxRequests = maxRequests;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        try {
            for (long i = 0; running && i < maxRequests; i++) {
                long t0 = System.nanoTime();
                try {
                    tally.count(api.job(jobId, 0).httpStatus());
                    latencies.record(System.nanoTime() - t0);
                } catch (IOException e) {
                    tally.error();
                }
                if (intervalMillis > 0) {
                    Thread.sleep(intervalMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            elapsedNanos = System.nanoTime() - start;
        }
    }

    String jobId() {
        return jobId;
    }

    void stop() {
        running = false;
    }

    Latencies latencies() {
        return latencies;
    }

    HttpTally tally() {
        return tally;
    }

    double requestsPerSecond() {
        return elapsedNanos == 0 ? 0 : latencies.count() / (elapsedNanos / 1e9);
    }
}
