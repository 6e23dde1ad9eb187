package io.thumbnail.server.internal.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.thumbnail.Job;
import io.thumbnail.JobListener;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /metrics} shows: JVM meters, HTTP requests by route and status, and the job system as seen through
 * a {@link io.thumbnail.JobListener} (submitted, done, failed by code, processing time) and its stats (queue depth,
 * busy workers, whether each store is up).
 */
public final class ServerMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmMeters jvmMeters = new JvmMeters(registry);
    private final Counter submitted;
    private final Counter done;
    private final Timer processing;
    private final AutoCloseable listener;

    /** @param minFreeBytes the free space the data directory's disk needs for {@code /health} to call it up */
    public ServerMetrics(ThumbnailService service, long minFreeBytes) {
        submitted = Counter.builder("thumbnail.jobs.submitted").description("jobs accepted").register(registry);
        done = Counter.builder("thumbnail.jobs.done").description("jobs that made a thumbnail").register(registry);
        processing = Timer.builder("thumbnail.jobs.processing")
                .description("from a worker starting a job to it finishing, done or failed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        // A count the database could not give is left out (NaN, which Prometheus takes as no sample), not -1.
        Gauge.builder("thumbnail.queue.depth", service, s -> countOrNaN(s.stats().queued()))
                .description("jobs waiting for a worker").register(registry);
        Gauge.builder("thumbnail.workers.busy", service, s -> s.stats().busyWorkers())
                .description("workers making a thumbnail right now").register(registry);
        Gauge.builder("thumbnail.workers", service, s -> s.stats().workers())
                .description("worker threads").register(registry);
        Gauge.builder("thumbnail.workers.abandoned", service, s -> s.stats().abandonedWorkers())
                .description("worker threads left behind in jobs that overran their time limit, not returned yet")
                .register(registry);
        Gauge.builder("thumbnail.jobs.running", service, s -> countOrNaN(s.stats().processing()))
                .description("jobs being made now, as the job database says (on every node sharing it)")
                .register(registry);
        Gauge.builder("thumbnail.jobs.suspects", service, s -> countOrNaN(s.stats().crashSuspects()))
                .description("jobs queued or being made that a process stopped without finishing, each run alone")
                .register(registry);
        Gauge.builder("thumbnail.store.up", service, s -> StoreStates.databaseUp(s.stats()) ? 1 : 0)
                .tag("store", "database").description("1 while the store is up, as /health says; 0 while it is down")
                .register(registry);
        Gauge.builder("thumbnail.store.up", service, s -> StoreStates.blobsUp(s.stats()) ? 1 : 0)
                .tag("store", "blobs").description("1 while the store is up, as /health says; 0 while it is down")
                .register(registry);
        Gauge.builder("thumbnail.store.up", service, s -> s.stats().dataDirFreeBytes() >= minFreeBytes ? 1 : 0)
                .tag("store", "disk").description("1 while the store is up, as /health says; 0 while it is down")
                .register(registry);
        Gauge.builder("thumbnail.disk.free", service, s -> countOrNaN(s.stats().dataDirFreeBytes()))
                .baseUnit("bytes").description("free space on the data directory's disk").register(registry);
        // Each state's series from the start: a rate() over a series that appears with its first delete misses it.
        for (JobStatus status : JobStatus.values()) {
            deleted(status);
        }
        listener = service.addListener(new JobListener() {
            @Override
            public void onChange(Job job) {
                count(job);
            }

            @Override
            public void onRemoteChange(Job job) {
                // Counted by the node that did the work: a sum over nodes counts each job once.
            }

            @Override
            public void onDelete(Job deleted) {
                // Without it, submitted minus done, failed and queued drifts with every job deleted unfinished.
                deleted(deleted.status()).increment();
            }
        });
    }

    private Counter deleted(JobStatus status) {
        return Counter.builder("thumbnail.jobs.deleted").description("jobs deleted, by the state they were in")
                .tag("status", status.id()).register(registry);
    }

    /** One HTTP request; {@code route} is the matched endpoint path, never the raw path (ids would explode it). */
    public void recordRequest(String method, String route, int status, float millis) {
        Timer.builder("http.server.requests")
                .tag("method", method)
                .tag("route", route)
                .tag("status", String.valueOf(status))
                .register(registry)
                .record((long) (millis * 1000), TimeUnit.MICROSECONDS);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        jvmMeters.bind();
        return registry.scrape();
    }

    private static double countOrNaN(long count) {
        return count < 0 ? Double.NaN : count;
    }

    private void count(Job job) {
        // A duplicate of a thumbnail made already is accepted done, never started: submitted and done at once, and
        // no worker's time to record.
        boolean bornDone = job.status() == JobStatus.DONE && job.attempts() == 0;
        if (bornDone || job.startedAt() == null && (job.status() == JobStatus.QUEUED
                || job.status() == JobStatus.FAILED)) {
            submitted.increment();
        }
        if (job.status() == JobStatus.DONE) {
            done.increment();
        } else if (job.status() == JobStatus.FAILED) {
            Counter.builder("thumbnail.jobs.failed").description("jobs that failed, by error code")
                    .tag("code", job.error() == null ? "unknown" : job.error().code().id()).register(registry)
                    .increment();
        }
        if (job.status().isFinished() && !bornDone && job.startedAt() != null && job.finishedAt() != null) {
            processing.record(Duration.between(job.startedAt(), job.finishedAt()));
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (Exception e) {
            log.warn("could not remove the metrics listener: {}", e.toString());
        }
        jvmMeters.close();
        registry.close();
    }
}
