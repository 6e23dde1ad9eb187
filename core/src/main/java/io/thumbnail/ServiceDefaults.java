package io.thumbnail;

import io.thumbnail.internal.worker.ThreadNice;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link ThumbnailServiceBuilder} uses for an option that is not set, and the bounds it accepts where it has
 * them, so that an application exposing these options (the server's flags) states each value once, here. The image
 * limits' defaults are {@link Limits}'s, the default thumbnail box {@link ThumbnailSpec}'s.
 */
public final class ServiceDefaults {
    /** Where {@code jobs.db} and {@code blobs/} live, relative to the working directory. */
    public static final Path DATA_DIR = Path.of("data");
    /** The most worker threads a service may have. */
    public static final int MAX_WORKERS = 1024;
    /** The highest nice value workers may give themselves (Linux's lowest priority). */
    public static final int MAX_WORKER_NICE = ThreadNice.MAX;
    /** The most jobs that may wait in the queue. */
    public static final int QUEUE_CAPACITY = 10_000;
    /** One owner's share of the queue, in percent of its capacity. */
    public static final int MAX_QUEUED_PER_OWNER_PERCENT = 25;
    /** Times a job is started before a transient error fails it. */
    public static final int MAX_ATTEMPTS = 3;
    /** The most attempts a service may be set to make. */
    public static final int MAX_MAX_ATTEMPTS = 100;
    /** The wait before a job's first retry; it doubles with each further one. */
    public static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How long a claimed job is held without a heartbeat. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    /** How often running jobs' leases are extended. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** How often the janitor deletes expired jobs and sweeps files no job refers to. */
    public static final Duration JANITOR_INTERVAL = Duration.ofMinutes(1);
    /** How long {@link ThumbnailService#close()} waits for running jobs. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    /** The longest a job may run, from its claim to its thumbnail. */
    public static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    /** How long a file no job refers to waits in {@code blobs/quarantine} before it is deleted. */
    public static final Duration QUARANTINE_GRACE = Duration.ofDays(7);
    /** How long a low-priority job waits before it is served as a normal one. */
    public static final Duration PRIORITY_AGING = Duration.ofMinutes(5);
    /**
     * The longest any duration option, or a wait, may be: a hundred years, as good as "never" for a timeout, an
     * interval or a lease, and short enough that every clock and scheduler counts it without overflowing.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);
    /** Imgur's API root. */
    public static final URI IMGUR_BASE_URL = URI.create("https://api.imgur.com");

    private ServiceDefaults() {
    }

    /** Worker threads: one per core the JVM may use. */
    public static int workers() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** One owner's share of a queue of {@code queueCapacity}: {@value #MAX_QUEUED_PER_OWNER_PERCENT}%, at least 1. */
    public static int maxQueuedPerOwner(int queueCapacity) {
        return (int) Math.max(1, (long) queueCapacity * MAX_QUEUED_PER_OWNER_PERCENT / 100);
    }
}
