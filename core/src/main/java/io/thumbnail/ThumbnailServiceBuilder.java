package io.thumbnail;

import io.thumbnail.internal.assembly.OptionalLibraries;
import io.thumbnail.internal.assembly.ServiceHooks;
import io.thumbnail.internal.assembly.ServiceSettings;
import io.thumbnail.internal.blob.s3.S3Location;
import io.thumbnail.internal.source.FetchSettings;
import io.thumbnail.internal.store.NodeIds;
import io.thumbnail.internal.store.postgres.PostgresDatabase;
import io.thumbnail.internal.store.postgres.PostgresUrl;
import io.thumbnail.internal.webhook.WebhookSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Options of a {@link ThumbnailService}, with defaults that just work. {@link #build()} checks them together before it
 * opens anything, naming the option, what was wrong and what is allowed; text to parse ({@link #database},
 * {@link #nodeId}, {@link #blobStore}) is refused at once. {@code docs/library.md} describes each option in full.
 * <pre>{@code ThumbnailService service = ThumbnailService.builder().dataDir(Path.of("data")).workers(4).build();}</pre>
 */
public final class ThumbnailServiceBuilder {
    private Path dataDir = ServiceDefaults.DATA_DIR;
    private String database;
    private String nodeId;
    private S3Location blobStore;
    private int workers = ServiceDefaults.workers();
    private int workerNice;
    private Limits limits = Limits.defaults();
    private int queueCapacity = ServiceDefaults.QUEUE_CAPACITY;
    private Integer maxQueuedPerOwner;
    private int maxAttempts = ServiceDefaults.MAX_ATTEMPTS;
    private Duration retryBackoff = ServiceDefaults.RETRY_BACKOFF;
    private Duration lease = ServiceDefaults.LEASE;
    private Duration heartbeat = ServiceDefaults.HEARTBEAT;
    private Duration ttl;
    private boolean acceptEmptyDatabase;
    private Duration quarantineGrace = ServiceDefaults.QUARANTINE_GRACE;
    private Duration janitorInterval = ServiceDefaults.JANITOR_INTERVAL;
    private Duration priorityAging = ServiceDefaults.PRIORITY_AGING;
    private Duration shutdownTimeout = ServiceDefaults.SHUTDOWN_TIMEOUT;
    private Duration jobTimeout = ServiceDefaults.JOB_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private boolean allowPrivateSources;
    private Set<String> sourceAllowlist = Set.of();
    private Duration fetchConnectTimeout = FetchSettings.DEFAULT_CONNECT_TIMEOUT;
    private Duration fetchTotalTimeout = FetchSettings.DEFAULT_TOTAL_TIMEOUT;
    private final List<Publisher> publishers = new ArrayList<>();
    private String imgurClientId;
    private URI imgurBaseUrl = ServiceDefaults.IMGUR_BASE_URL;
    private String webhookSecret;
    private Duration webhookMaxAge = WebhookSettings.DEFAULT_MAX_AGE;
    private WebhookBody webhookBody = WebhookBody.minimal();
    private ServiceHooks hooks = ServiceHooks.DEFAULTS;

    ThumbnailServiceBuilder() {
    }

    /**
     * Keeps the jobs in this PostgreSQL database ({@code jdbc:postgresql://HOST:PORT/DATABASE?user=...&password=...})
     * instead of SQLite in the data directory (null, the default): several nodes on one database share its queue.
     * Needs the PostgreSQL driver, {@code org.postgresql:postgresql}, on the class path: an
     * {@link IllegalStateException} names it when it is missing.
     */
    public ThumbnailServiceBuilder database(String jdbcUrl) {
        if (jdbcUrl != null) {
            PostgresUrl.checkScheme(jdbcUrl);
            OptionalLibraries.POSTGRESQL.require("database");
            PostgresDatabase.checkUrl(jdbcUrl);
        }
        this.database = jdbcUrl;
        return this;
    }

    /**
     * The name this node holds its jobs' leases under (default: the host's name and a random suffix), one per node of a
     * database; a node restarted under it takes its jobs back at once. 1-64 letters, digits, {@code ._-}.
     */
    public ThumbnailServiceBuilder nodeId(String value) {
        this.nodeId = value == null ? null : NodeIds.check(value);
        return this;
    }

    /**
     * Keeps images in a bucket, {@code s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&path-style=true}, with keys from
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}; null (the default): {@code blobs/} on the disk.
     * Needs the AWS SDK's {@code software.amazon.awssdk:s3} and {@code software.amazon.awssdk:url-connection-client}
     * on the class path: an {@link IllegalStateException} names what is missing.
     */
    public ThumbnailServiceBuilder blobStore(String location) {
        S3Location parsed;
        try {
            parsed = location == null || location.isBlank() ? null : S3Location.parse(location);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("blobStore must be " + e.getMessage(), e);
        }
        if (parsed != null) {
            OptionalLibraries.S3.require("blobStore");
        }
        this.blobStore = parsed;
        return this;
    }

    /** Where {@code jobs.db} and {@code blobs/} live (default {@code data}); created if missing. */
    public ThumbnailServiceBuilder dataDir(Path value) {
        this.dataDir = value;
        return this;
    }

    /** Worker threads (default: the number of cores), 1-{@value ServiceDefaults#MAX_WORKERS}. */
    public ThumbnailServiceBuilder workers(int value) {
        this.workers = value;
        return this;
    }

    /**
     * The nice value workers (and the threads storing their thumbnails) give themselves on Linux (default 0),
     * 0-{@value ServiceDefaults#MAX_WORKER_NICE}: 10 keeps them behind a server's request threads on the same cores, at
     * no cost while the cores are otherwise idle.
     */
    public ThumbnailServiceBuilder workerNice(int value) {
        this.workerNice = value;
        return this;
    }

    /** What one image may be: bytes in, pixels, largest output side (default {@link Limits#defaults()}). */
    public ThumbnailServiceBuilder limits(Limits value) {
        this.limits = value;
        return this;
    }

    /** Most jobs waiting in the queue (default {@value ServiceDefaults#QUEUE_CAPACITY}); beyond, {@code queue_full}. */
    public ThumbnailServiceBuilder queueCapacity(int value) {
        this.queueCapacity = value;
        return this;
    }

    /** Most jobs one owner may have queued (default: a quarter of the queue capacity); beyond, {@code queue_full}. */
    public ThumbnailServiceBuilder maxQueuedPerOwner(int value) {
        this.maxQueuedPerOwner = value;
        return this;
    }

    /** Starts of a job before a transient error fails it (default 3), 1-{@value ServiceDefaults#MAX_MAX_ATTEMPTS}. */
    public ThumbnailServiceBuilder maxAttempts(int value) {
        this.maxAttempts = value;
        return this;
    }

    /** The wait before the first retry (default 1s); it doubles with each further retry, up to 64 times this. */
    public ThumbnailServiceBuilder retryBackoff(Duration value) {
        this.retryBackoff = value;
        return this;
    }

    /** How long a claimed job (or publication) is held without a heartbeat before others may take it (default 30s). */
    public ThumbnailServiceBuilder lease(Duration value) {
        this.lease = value;
        return this;
    }

    /**
     * How often the leases of running jobs and publications are extended (default 10s); must be shorter than the lease.
     */
    public ThumbnailServiceBuilder heartbeat(Duration value) {
        this.heartbeat = value;
        return this;
    }

    /** Finished jobs older than this are deleted by the janitor; null (the default) keeps them forever. */
    public ThumbnailServiceBuilder ttl(Duration value) {
        this.ttl = value;
        return this;
    }

    /** Starts on an empty job database while {@code blobs/} holds images, which go to quarantine (default false). */
    public ThumbnailServiceBuilder acceptEmptyDatabase(boolean value) {
        this.acceptEmptyDatabase = value;
        return this;
    }

    /** How long a file no job refers to waits in {@code blobs/quarantine} before it is deleted (default 7 days). */
    public ThumbnailServiceBuilder quarantineGrace(Duration value) {
        this.quarantineGrace = value;
        return this;
    }

    /** How often the janitor deletes expired jobs and sweeps files no job refers to (default 1 minute). */
    public ThumbnailServiceBuilder janitorInterval(Duration value) {
        this.janitorInterval = value;
        return this;
    }

    /** How long a {@link Priority#LOW low} job waits before it is served as a normal one (default 5 minutes). */
    public ThumbnailServiceBuilder priorityAging(Duration value) {
        this.priorityAging = value;
        return this;
    }

    /** How long close() waits for running jobs (default 20s). */
    public ThumbnailServiceBuilder shutdownTimeout(Duration value) {
        this.shutdownTimeout = value;
        return this;
    }

    /**
     * The longest a job may run from its claim (default 60 s); longer, it fails with {@code timeout}, not retried. A
     * decode's wait for memory other images' decodes hold does not count.
     */
    public ThumbnailServiceBuilder jobTimeout(Duration value) {
        this.jobTimeout = value;
        return this;
    }

    /** Where every timestamp and lease decision takes its time from (default UTC system clock). */
    public ThumbnailServiceBuilder clock(Clock value) {
        this.clock = value;
        return this;
    }

    /**
     * Lets URL sources reach loopback, private and other internal addresses (default false: {@code source_blocked}).
     * For local use only: on a server it lets callers probe the internal network.
     */
    public ThumbnailServiceBuilder allowPrivateSources(boolean value) {
        this.allowPrivateSources = value;
        return this;
    }

    /** When not empty, the only hosts URL sources may name ({@code example.com}, {@code *.example.com}: subdomains). */
    public ThumbnailServiceBuilder sourceAllowlist(Set<String> hosts) {
        this.sourceAllowlist = hosts;
        return this;
    }

    /** Connect and total timeouts for fetching URL sources (defaults 5 s and 30 s). */
    public ThumbnailServiceBuilder fetchTimeouts(Duration connect, Duration total) {
        this.fetchConnectTimeout = connect;
        this.fetchTotalTimeout = total;
        return this;
    }

    /** Registers a publisher for the jobs that ask for its target ({@link SubmitOptions#publishTo}); one per target. */
    public ThumbnailServiceBuilder publisher(Publisher value) {
        publishers.add(value);
        return this;
    }

    /** The Imgur application's Client-ID; set, jobs may publish to Imgur, the publisher built in (default: none). */
    public ThumbnailServiceBuilder imgurClientId(String value) {
        this.imgurClientId = value;
        return this;
    }

    /** Imgur's API root (default {@code https://api.imgur.com}); tests point it at a local stand-in. */
    public ThumbnailServiceBuilder imgurBaseUrl(URI value) {
        this.imgurBaseUrl = value;
        return this;
    }

    /**
     * The key webhooks are signed with (the HMAC-SHA256 of the body), at least 16 characters; null (the default): a
     * random one kept in the job store and written to {@code webhook-secret} in the data directory for the operator.
     */
    public ThumbnailServiceBuilder webhookSecret(String value) {
        this.webhookSecret = value;
        return this;
    }

    /** How long after a job (or batch) finished its webhook is retried (default 24 hours); then it is failed. */
    public ThumbnailServiceBuilder webhookMaxAge(Duration value) {
        this.webhookMaxAge = value;
        return this;
    }

    /** What webhooks carry (default {@link WebhookBody#minimal()}): an application renders its own view of jobs. */
    public ThumbnailServiceBuilder webhookBody(WebhookBody value) {
        this.webhookBody = value;
        return this;
    }

    /** Tests and benchmarks: changes what users never change (the pipeline, the worker threads, forced commits). */
    ThumbnailServiceBuilder hooks(UnaryOperator<ServiceHooks> change) {
        this.hooks = change.apply(hooks);
        return this;
    }

    /** Checks the options, opens (or creates and migrates) the stores, recovers and starts the workers. */
    public ThumbnailService build() {
        return new ThumbnailService(new ServiceSettings(dataDir, database, nodeId, blobStore, workers, workerNice,
                limits, queueCapacity, maxQueuedPerOwner, maxAttempts, retryBackoff, lease, heartbeat, ttl,
                acceptEmptyDatabase, quarantineGrace, janitorInterval, priorityAging, shutdownTimeout, jobTimeout,
                clock, allowPrivateSources, sourceAllowlist, fetchConnectTimeout, fetchTotalTimeout, publishers,
                imgurClientId, imgurBaseUrl, webhookSecret, webhookMaxAge, webhookBody, hooks));
    }
}
