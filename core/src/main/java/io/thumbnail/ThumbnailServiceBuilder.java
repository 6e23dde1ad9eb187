package io.thumbnail;

import io.thumbnail.internal.assembly.ServiceSettings;
import io.thumbnail.internal.blob.s3.S3Location;
import io.thumbnail.internal.image.Pipeline;
import io.thumbnail.internal.publish.ImgurPublisher;
import io.thumbnail.internal.publish.ImgurSettings;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.publish.Sleeper;
import io.thumbnail.internal.source.FetchSettings;
import io.thumbnail.internal.source.SourcePolicy;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.NodeIds;
import io.thumbnail.internal.store.postgres.PostgresDatabase;
import io.thumbnail.internal.webhook.WebhookSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of a {@link ThumbnailService}, with defaults that just work; each is validated when set, with a message
 * naming the option, and {@link #build()} checks them together and opens the service.
 *
 * <pre>{@code
 * ThumbnailService service = ThumbnailService.builder().dataDir(Path.of("data")).workers(4).build();
 * }</pre>
 */
public final class ThumbnailServiceBuilder {
    private Path dataDir = ServiceDefaults.DATA_DIR;
    private int workers = ServiceDefaults.workers();
    private Limits limits = Limits.defaults();
    private int queueCapacity = ServiceDefaults.QUEUE_CAPACITY;
    private Integer maxQueuedPerOwner;
    private int maxAttempts = ServiceDefaults.MAX_ATTEMPTS;
    private Duration retryBackoff = ServiceDefaults.RETRY_BACKOFF;
    private Duration lease = ServiceDefaults.LEASE;
    private Duration heartbeat = ServiceDefaults.HEARTBEAT;
    private Duration ttl;
    private Duration janitorInterval = ServiceDefaults.JANITOR_INTERVAL;
    private Duration shutdownTimeout = ServiceDefaults.SHUTDOWN_TIMEOUT;
    private Duration jobTimeout = ServiceDefaults.JOB_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private Pipeline pipeline;
    private boolean startWorkers = true;
    private boolean allowPrivateSources;
    private Set<String> sourceAllowlist = Set.of();
    private Duration fetchConnectTimeout = FetchSettings.DEFAULT_CONNECT_TIMEOUT;
    private Duration fetchTotalTimeout = FetchSettings.DEFAULT_TOTAL_TIMEOUT;
    private String imgurClientId;
    private URI imgurBaseUrl = ServiceDefaults.IMGUR_BASE_URL;
    private final List<Publisher> publishers = new ArrayList<>();
    /** How long an idle worker waits, unless woken by a submit, before looking for retries that came due. */
    private Duration idleWait = Duration.ofSeconds(1);
    private int workerNice;
    private boolean syncAcknowledged = true;
    private boolean acceptEmptyDatabase;
    private Duration quarantineGrace = ServiceDefaults.QUARANTINE_GRACE;
    private Duration priorityAging = ServiceDefaults.PRIORITY_AGING;
    private String database;
    private S3Location blobStore;
    private String nodeId;
    private WebhookSettings webhooks = WebhookSettings.defaults();

    ThumbnailServiceBuilder() {
    }

    /**
     * Keeps the jobs in the PostgreSQL database this JDBC URL names
     * ({@code jdbc:postgresql://HOST:PORT/DATABASE?user=...&password=...}) instead of SQLite in the data
     * directory (the default, null): several services ("nodes") on one database share its queue, any node's
     * workers take any job, and a wait on one node sees a job finished on another within milliseconds. The
     * schema is created and migrated at start. Images stay in the blob store, which the nodes must share too.
     */
    public ThumbnailServiceBuilder database(String jdbcUrl) {
        if (jdbcUrl != null) {
            PostgresDatabase.checkUrl(jdbcUrl);
        }
        this.database = jdbcUrl;
        return this;
    }

    /**
     * The name this node holds its jobs' leases under, shown in health checks, logs and the jobs it runs
     * (default: the host's name and a random suffix). Nodes sharing a database must each have their own; a node
     * started again under the same id takes back at once the jobs it held when it stopped (under a new id, they
     * wait for their leases to run out). 1-64 letters, digits, {@code .}, {@code _} or {@code -}.
     */
    public ThumbnailServiceBuilder nodeId(String value) {
        this.nodeId = value == null ? null : NodeIds.check(value);
        return this;
    }

    /**
     * Keeps originals and thumbnails in a bucket of S3-compatible object storage instead of {@code blobs/} in the
     * data directory: {@code s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&path-style=true}. Without an
     * endpoint it is AWS S3 (region {@code us-east-1} unless given); with one, buckets are addressed by path
     * unless {@code path-style=false}. The keys come from {@code AWS_ACCESS_KEY_ID} and
     * {@code AWS_SECRET_ACCESS_KEY} in the environment, never from the location. {@link #build()} asks the bucket
     * once, and fails naming the bucket and the reason if it cannot be used. Null (the default): the local disk.
     * Nodes sharing a bucket share a {@link #database} too, which holds the pins that keep one node from deleting a
     * blob another node's new job has just found stored.
     */
    public ThumbnailServiceBuilder blobStore(String location) {
        try {
            this.blobStore = location == null || location.isBlank() ? null : S3Location.parse(location);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("blobStore must be " + e.getMessage(), e);
        }
        return this;
    }

    /** Where {@code jobs.db} and {@code blobs/} live (default {@code data}); created if missing. */
    public ThumbnailServiceBuilder dataDir(Path value) {
        this.dataDir = Objects.requireNonNull(value, "dataDir must not be null");
        return this;
    }

    /** Worker threads (default: the number of cores), 1-{@value ServiceDefaults#MAX_WORKERS}. */
    public ThumbnailServiceBuilder workers(int value) {
        if (value < 1 || value > ServiceDefaults.MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be between 1 and " + ServiceDefaults.MAX_WORKERS
                    + " (was " + value + ")");
        }
        this.workers = value;
        return this;
    }

    /**
     * The nice value worker threads give themselves (default 0: they keep the priority of the thread that built
     * the service). A server answering requests on the same cores wants its workers behind the request threads:
     * 10 lets a request thread that wakes up take a core from a busy worker at once, and costs the workers nothing
     * while the cores are otherwise idle. Linux only (each worker runs {@code renice} on itself once, after its
     * first job); elsewhere nothing changes and one INFO line says so. 0-{@value ServiceDefaults#MAX_WORKER_NICE}.
     */
    public ThumbnailServiceBuilder workerNice(int value) {
        if (value < 0 || value > ServiceDefaults.MAX_WORKER_NICE) {
            throw new IllegalArgumentException("workerNice must be between 0 and " + ServiceDefaults.MAX_WORKER_NICE
                    + " (was " + value + ")");
        }
        this.workerNice = value;
        return this;
    }

    public ThumbnailServiceBuilder limits(Limits value) {
        this.limits = Objects.requireNonNull(value, "limits must not be null");
        return this;
    }

    /**
     * The most jobs that may wait in the queue (default {@value ServiceDefaults#QUEUE_CAPACITY}); a submit beyond
     * it fails with queue_full. See {@link #maxQueuedPerOwner} for one owner's share of it.
     */
    public ThumbnailServiceBuilder queueCapacity(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1 (was " + value + ")");
        }
        this.queueCapacity = value;
        return this;
    }

    /**
     * The most jobs one owner may have queued (default: a quarter of the queue capacity, at least 1), so that
     * one owner filling its share leaves room for the others; beyond it its submits fail with
     * {@code queue_full}. Jobs submitted without an owner count against the queue capacity only. At most the
     * queue capacity (equal to it: no share).
     */
    public ThumbnailServiceBuilder maxQueuedPerOwner(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("maxQueuedPerOwner must be at least 1 (was " + value + ")");
        }
        this.maxQueuedPerOwner = value;
        return this;
    }

    /** The owner's share as set, or a quarter of the queue capacity. */
    int maxQueuedPerOwner() {
        return maxQueuedPerOwner != null ? maxQueuedPerOwner : ServiceDefaults.maxQueuedPerOwner(queueCapacity);
    }

    /**
     * How many times a job is started before a transient error fails it (default
     * {@value ServiceDefaults#MAX_ATTEMPTS}), 1-{@value ServiceDefaults#MAX_MAX_ATTEMPTS}.
     */
    public ThumbnailServiceBuilder maxAttempts(int value) {
        if (value < 1 || value > ServiceDefaults.MAX_MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and "
                    + ServiceDefaults.MAX_MAX_ATTEMPTS + " (was " + value + ")");
        }
        this.maxAttempts = value;
        return this;
    }

    /** The wait before the first retry (default 1s); it doubles with each further retry, up to 64 times this. */
    public ThumbnailServiceBuilder retryBackoff(Duration value) {
        this.retryBackoff = positive("retryBackoff", value);
        return this;
    }

    /** How long a claimed job is held without a heartbeat before others may take it (default 30s). */
    public ThumbnailServiceBuilder lease(Duration value) {
        this.lease = positive("lease", value);
        return this;
    }

    /** How often running jobs' leases are extended (default 10s); must be shorter than the lease. */
    public ThumbnailServiceBuilder heartbeat(Duration value) {
        this.heartbeat = positive("heartbeat", value);
        return this;
    }

    /** Finished jobs older than this are deleted by the janitor; null (the default) keeps them forever. */
    public ThumbnailServiceBuilder ttl(Duration value) {
        this.ttl = value == null ? null : positive("ttl", value);
        return this;
    }

    /**
     * Starts even when the job database is missing or empty while {@code blobs/} holds images (default false:
     * such a start is refused, since no job would refer to any of them). Accepted, the images move to the
     * quarantine, from which a database restored later gets them back within the {@link #quarantineGrace}.
     */
    public ThumbnailServiceBuilder acceptEmptyDatabase(boolean value) {
        this.acceptEmptyDatabase = value;
        return this;
    }

    /**
     * How long a file no job refers to stays in {@code blobs/quarantine} before the janitor deletes it (default 7
     * days). The sweep moves such files there instead of deleting them, so a database that lost its rows costs
     * no image within this time.
     */
    public ThumbnailServiceBuilder quarantineGrace(Duration value) {
        this.quarantineGrace = positive("quarantineGrace", value);
        return this;
    }

    public ThumbnailServiceBuilder janitorInterval(Duration value) {
        this.janitorInterval = positive("janitorInterval", value);
        return this;
    }

    /**
     * How long a {@link Priority#LOW low}-priority job waits before the queue serves it as {@link Priority#NORMAL
     * normal} (default {@link ServiceDefaults#PRIORITY_AGING 5 minutes}), so that a steady stream of normal and high
     * jobs never starves it.
     */
    public ThumbnailServiceBuilder priorityAging(Duration value) {
        this.priorityAging = positive("priorityAging", value);
        return this;
    }

    /** How long close() waits for running jobs (default 20s). */
    public ThumbnailServiceBuilder shutdownTimeout(Duration value) {
        Objects.requireNonNull(value, "shutdownTimeout must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative (was " + value + ")");
        }
        this.shutdownTimeout = value;
        return this;
    }

    /**
     * The longest a job may run, from its claim to its thumbnail (default 60 s; a URL source's fetch counts too).
     * A job running longer fails with {@code timeout} and is not retried; its worker is replaced.
     */
    public ThumbnailServiceBuilder jobTimeout(Duration value) {
        this.jobTimeout = positive("jobTimeout", value);
        return this;
    }

    /** Where every timestamp and lease decision takes its time from (default UTC system clock). */
    public ThumbnailServiceBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock must not be null");
        return this;
    }

    /**
     * Lets URL sources reach loopback, private and other internal addresses (default false: such URLs fail with
     * {@code source_blocked}). For local use only: on a server it lets callers probe the internal network.
     */
    public ThumbnailServiceBuilder allowPrivateSources(boolean value) {
        this.allowPrivateSources = value;
        return this;
    }

    /**
     * When not empty, URL sources may only name these hosts ({@code example.com}, or {@code *.example.com} for its
     * subdomains). The address checks still apply unless private sources are allowed.
     */
    public ThumbnailServiceBuilder sourceAllowlist(Set<String> hosts) {
        this.sourceAllowlist = new SourcePolicy(false, Objects.requireNonNull(hosts, "sourceAllowlist must not be null"))
                .hostAllowlist();
        return this;
    }

    /** Connect and total timeouts for fetching URL sources (defaults 5 s and 30 s). */
    public ThumbnailServiceBuilder fetchTimeouts(Duration connect, Duration total) {
        FetchSettings checked = FetchSettings.defaults().withTimeouts(connect, total);
        this.fetchConnectTimeout = checked.connectTimeout();
        this.fetchTotalTimeout = checked.totalTimeout();
        return this;
    }

    /**
     * Registers a publisher: jobs may then ask for their thumbnails to be published to its target
     * ({@link SubmitOptions#publishTo}). One publisher per target.
     */
    public ThumbnailServiceBuilder publisher(Publisher value) {
        Objects.requireNonNull(value, "publisher must not be null");
        Publishers.check(List.of(value));
        publishers.add(value);
        return this;
    }

    /**
     * The Imgur application's Client-ID; set it to allow publishing thumbnails to Imgur, the publisher built in
     * (default: none).
     */
    public ThumbnailServiceBuilder imgurClientId(String value) {
        this.imgurClientId = value == null ? null : ImgurSettings.of(value).clientId();
        return this;
    }

    /** Imgur's API root (default {@code https://api.imgur.com}); tests point it at a local stand-in. */
    public ThumbnailServiceBuilder imgurBaseUrl(URI value) {
        this.imgurBaseUrl = ImgurSettings.checkBaseUrl(value);
        return this;
    }

    /** Tests: replace the pipeline the workers run. */
    ThumbnailServiceBuilder pipeline(Pipeline value) {
        this.pipeline = value;
        return this;
    }

    /** Tests: how long idle workers wait between looks at the queue when no submit wakes them. */
    ThumbnailServiceBuilder idleWait(Duration value) {
        this.idleWait = positive("idleWait", value);
        return this;
    }

    /**
     * Benchmarks: false commits accepted and deleted jobs without forcing them to disk, to measure what forcing
     * them costs.
     */
    ThumbnailServiceBuilder syncAcknowledged(boolean value) {
        this.syncAcknowledged = value;
        return this;
    }

    /**
     * The key webhook deliveries are signed with ({@code X-Thumbnail-Signature: sha256=} and the hex HMAC-SHA256 of the
     * body), at least 16 characters; null (the default) for a random one the service makes at its first start, keeps
     * in its job store and writes to {@code webhook-secret} in the data directory for the operator.
     */
    public ThumbnailServiceBuilder webhookSecret(String value) {
        try {
            this.webhooks = webhooks.withSecret(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhookSecret: " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * How long after a job (or batch) finished its webhook is still tried again while the receiver cannot take it
     * (default 24 hours); then the callback is marked failed.
     */
    public ThumbnailServiceBuilder webhookMaxAge(Duration value) {
        this.webhooks = webhooks.withMaxAge(positive("webhookMaxAge", value));
        return this;
    }

    /**
     * What webhook deliveries carry (default {@link WebhookBody#minimal()}); an application with its own view of jobs
     * renders it here, so a receiver gets what a lookup answers.
     */
    public ThumbnailServiceBuilder webhookBody(WebhookBody value) {
        this.webhooks = webhooks.withBody(Objects.requireNonNull(value, "webhookBody must not be null"));
        return this;
    }

    /** Tests: false starts no worker or housekeeping thread; the test drives them through the package hooks. */
    ThumbnailServiceBuilder startWorkers(boolean value) {
        this.startWorkers = value;
        return this;
    }

    /** Opens (or creates and migrates) the store in {@code dataDir} and starts the workers. */
    public ThumbnailService build() {
        if (maxQueuedPerOwner != null && maxQueuedPerOwner > queueCapacity) {
            throw new IllegalArgumentException("maxQueuedPerOwner must not be more than queueCapacity"
                    + " (maxQueuedPerOwner " + maxQueuedPerOwner + ", queueCapacity " + queueCapacity + ")");
        }
        return new ThumbnailService(settings());
    }

    /** The options as one record, checked as a whole. */
    ServiceSettings settings() {
        return new ServiceSettings(dataDir, workers, workerNice, limits,
                new JobStore.QueueLimits(queueCapacity, maxQueuedPerOwner()), maxAttempts, retryBackoff, lease,
                heartbeat, ttl, janitorInterval, shutdownTimeout, jobTimeout, clock,
                new SourcePolicy(allowPrivateSources, sourceAllowlist),
                FetchSettings.defaults().withTimeouts(fetchConnectTimeout, fetchTotalTimeout)
                        .withMaxBytes(limits.maxInputBytes()),
                allPublishers(), acceptEmptyDatabase, quarantineGrace, pipeline, startWorkers, idleWait,
                syncAcknowledged, database, blobStore, nodeId != null ? nodeId : NodeIds.generate(), priorityAging,
                webhooks);
    }

    /** The publishers registered, and Imgur's once a client id is set. */
    private List<Publisher> allPublishers() {
        List<Publisher> all = new ArrayList<>(publishers);
        if (imgurClientId != null) {
            all.add(new ImgurPublisher(ImgurSettings.of(imgurClientId).withBaseUrl(imgurBaseUrl), clock,
                    Sleeper.system()));
        }
        return all;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive (was " + value + ")");
        }
        return value;
    }
}
