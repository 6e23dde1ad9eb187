package io.thumbnail.server;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.thumbnail.ServiceStats;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.ops.StoreStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /health}: 200 {@code up} when every check passes, 503 {@code down} otherwise, with the checks either way and
 * the node's id.
 * The database is down when it does not answer, failed its integrity check ({@code integrity: damaged}) or cannot be
 * written ({@code writes: failing}, a full disk); the blob store when it cannot be written. The answer is made at once
 * from the state the service keeps ({@link ThumbnailService#stats()}), never by asking a store: a load balancer gives
 * up on a slow answer and takes the node out for the wrong reason. A store that failed is probed every second by the
 * service itself, so the check turns up within about a second of the store working again.
 * While the jobs cannot be counted the queue is {@code unknown}, without {@code depth} or {@code processing}.
 * {@code webp} says whether WebP output works here ({@code up}, {@code unavailable} where libwebp cannot load, or
 * {@code starting} while it loads, in the first moments): without it the server still works, so it never makes the
 * server {@code down}.
 */
final class HealthController {
    private static final Logger log = LoggerFactory.getLogger(HealthController.class);
    /** When to ask again after a 503: a failing store is probed about once a second. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final ThumbnailService service;
    private final long minFreeBytes;
    private final CompletableFuture<Optional<String>> webpUnavailable;

    /** @param webpUnavailable completes with why WebP cannot be written here, or empty when it can */
    HealthController(ThumbnailService service, long minFreeBytes, CompletableFuture<Optional<String>> webpUnavailable) {
        this.service = service;
        this.minFreeBytes = minFreeBytes;
        this.webpUnavailable = webpUnavailable;
    }

    /**
     * @param node    the node's id: letters, digits, {@code .}, {@code _} and {@code -}
     * @param version the server's version ({@code 0.1.0}), so a rolling upgrade shows which nodes run which build
     */
    record Health(String status, String node, String version, Checks checks) {
        /**
         * The answer as Jackson would write it (a test holds them equal), written by hand so that the first request
         * of a deployment, made while the server starts, does not wait for Jackson to load. Every string is a status
         * word or a node id: nothing to escape.
         */
        String json() {
            return String.format(Locale.ROOT, "{\"status\":\"%s\",\"node\":\"%s\",\"version\":\"%s\","
                            + "\"checks\":{\"database\":{\"status\":\"%s\","
                            + "\"integrity\":\"%s\",\"writes\":\"%s\"},"
                            + "\"blobs\":{\"status\":\"%s\",\"writes\":\"%s\",\"quarantinedFiles\":%d},"
                            + "\"disk\":{\"status\":\"%s\",\"freeBytes\":%d,\"minFreeBytes\":%d},"
                            + "\"queue\":{\"status\":\"%s\",%s\"capacity\":%d},"
                            + "\"workers\":{\"status\":\"%s\",\"total\":%d,\"busy\":%d,\"abandoned\":%d},"
                            + "\"webp\":{\"status\":\"%s\"}}}",
                    status, node, version,
                    checks.database().status(), checks.database().integrity(), checks.database().writes(),
                    checks.blobs().status(), checks.blobs().writes(), checks.blobs().quarantinedFiles(),
                    checks.disk().status(), checks.disk().freeBytes(), checks.disk().minFreeBytes(),
                    checks.queue().status(), counts(checks.queue()), checks.queue().capacity(),
                    checks.workers().status(), checks.workers().total(), checks.workers().busy(),
                    checks.workers().abandoned(),
                    checks.webp().status());
        }

        /** The queue's counts and a comma, or nothing while they are unknown (as Jackson leaves out a null). */
        private static String counts(Queue queue) {
            return queue.depth() == null ? "" : String.format(Locale.ROOT,
                    "\"depth\":%d,\"processing\":%d,\"suspects\":%d,", queue.depth(), queue.processing(),
                    queue.suspects());
        }
    }

    record Checks(Database database, Blobs blobs, Disk disk, Queue queue, Workers workers, Check webp) {
    }

    /** {@code integrity}: {@code ok} or {@code damaged}; {@code writes}: {@code ok} or {@code failing}. */
    record Database(String status, String integrity, String writes) {
    }

    /** {@code writes}: {@code ok} or {@code failing}; files no job refers to wait in the quarantine. */
    record Blobs(String status, String writes, long quarantinedFiles) {
    }

    record Check(String status) {
    }

    record Disk(String status, long freeBytes, long minFreeBytes) {
    }

    /**
     * {@code depth}, {@code processing} and {@code suspects} (crash suspects among those, each run alone): null, so
     * left out, while the jobs cannot be counted.
     */
    record Queue(String status, Long depth, Long processing, Long suspects, int capacity) {
    }

    /** @param abandoned threads left behind in jobs that overran their time limit, not returned yet */
    record Workers(String status, int total, int busy, int abandoned) {
    }

    void health(Context ctx) {
        ServiceStats stats;
        try {
            stats = service.stats();
        } catch (RuntimeException e) {
            log.warn("health check could not read the service stats: {}", e.toString());
            stats = new ServiceStats(false, 0, -1, -1, -1, 0, 0, true, true, true, 0, 0, 0);
        }
        boolean databaseUp = StoreStates.databaseUp(stats);
        boolean counted = stats.queued() >= 0 && stats.processing() >= 0 && stats.crashSuspects() >= 0;
        Checks checks = new Checks(
                new Database(up(databaseUp), stats.databaseIntact() ? "ok" : "damaged",
                        stats.databaseWritable() ? "ok" : "failing"),
                new Blobs(up(StoreStates.blobsUp(stats)), stats.blobsWritable() ? "ok" : "failing",
                        stats.quarantinedFiles()),
                new Disk(up(stats.dataDirFreeBytes() >= minFreeBytes), stats.dataDirFreeBytes(), minFreeBytes),
                // Unknown while the database cannot be read, not up; -1 is not a depth, so no depth is shown.
                // Full is busy, not broken: each submit is answered 429 with Retry-After, and a load balancer that took
                // the node out for it would not empty the queue any faster (nor, on a shared queue, keep any node in).
                new Queue(!counted ? "unknown" : stats.queued() < stats.queueCapacity() ? "up" : "full",
                        counted ? stats.queued() : null, counted ? stats.processing() : null,
                        counted ? stats.crashSuspects() : null, stats.queueCapacity()),
                new Workers(up(stats.workers() > 0), stats.workers(), stats.busyWorkers(), stats.abandonedWorkers()),
                new Check(webpStatus()));
        boolean allUp = databaseUp && StoreStates.blobsUp(stats) && checks.disk().status().equals("up")
                && !checks.queue().status().equals("unknown") && checks.workers().status().equals("up");
        if (!allUp) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        ctx.status(allUp ? 200 : 503).contentType(ContentType.APPLICATION_JSON)
                .result(new Health(up(allUp), service.nodeId(), ServerVersion.get(), checks).json());
    }

    private String webpStatus() {
        Optional<String> unavailable = webpUnavailable.getNow(null);
        if (unavailable == null) {
            return "starting";
        }
        return unavailable.isEmpty() ? "up" : "unavailable";
    }

    private static String up(boolean ok) {
        return ok ? "up" : "down";
    }
}
