package io.thumbnail;

import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.blob.s3.BlobStores;
import io.thumbnail.internal.blob.s3.S3Location;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.jobs.ImageInput;
import io.thumbnail.internal.jobs.JobEvents;
import io.thumbnail.internal.jobs.JobIntake;
import io.thumbnail.internal.jobs.JobLookup;
import io.thumbnail.internal.publish.ImgurPublisher;
import io.thumbnail.internal.publish.ImgurSettings;
import io.thumbnail.internal.publish.Publisher;
import io.thumbnail.internal.publish.Sleeper;
import io.thumbnail.internal.source.FetchSettings;
import io.thumbnail.internal.source.HostResolver;
import io.thumbnail.internal.source.SourceGuard;
import io.thumbnail.internal.source.SourcePolicy;
import io.thumbnail.internal.source.UrlFetcher;
import io.thumbnail.internal.source.UrlSourceLoader;
import io.thumbnail.internal.store.DataDirLock;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.OpenFailure;
import io.thumbnail.internal.store.OpeningChecks;
import io.thumbnail.internal.store.SqliteJobStore;
import io.thumbnail.internal.worker.Backoff;
import io.thumbnail.internal.worker.Finisher;
import io.thumbnail.internal.worker.Housekeeping;
import io.thumbnail.internal.worker.Janitor;
import io.thumbnail.internal.worker.JobRunner;
import io.thumbnail.internal.worker.Pipeline;
import io.thumbnail.internal.worker.WorkerPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The durable job system: hand over an image, get a job id at once; a fixed pool of workers makes the thumbnail;
 * SQLite in the data directory remembers everything, so a crash loses no accepted job.
 *
 * <pre>{@code
 * try (ThumbnailService service = ThumbnailService.builder().dataDir(Path.of("data")).workers(4).build()) {
 *     Job job = service.submit(ImageSource.of(bytes, "cat.jpg"), ThumbnailSpec.box(100, 100));
 *     Job done = service.await(job.id(), Duration.ofSeconds(10));
 *     byte[] thumbnail = service.thumbnailBytes(done.id());
 * }
 * }</pre>
 *
 * <p>An {@link ImageSource#url(java.net.URI) URL source} is fetched by a worker, under an SSRF guard that is on by
 * default ({@link Builder#allowPrivateSources}, {@link Builder#sourceAllowlist}); once fetched it is stored, checked
 * and deduplicated by content exactly like an upload. A job can ask for its thumbnail to be published to Imgur
 * ({@link #submit(ImageSource, ThumbnailSpec, String, String)}); publishing runs after the thumbnail is done and its
 * outcome is recorded on {@link Job#publication()}. A publish interrupted by a crash is not resumed.
 *
 * <p>The data directory holds {@code jobs.db} (SQLite, WAL) and {@code blobs/} (originals and thumbnails by
 * SHA-256). One service at a time may use a data directory; a second is refused while the first runs, even when
 * something deleted the first one's lock file. A job accepted by {@link #submit} survives a crash of the process and a
 * loss of power: its original and its row are on disk before submit returns. Files no job refers to (left by a crash,
 * or by a database that lost its rows) are never deleted at once: they wait in {@code blobs/quarantine} for
 * {@link Builder#quarantineGrace}, and a start on a missing or empty database while {@code blobs/} holds images is
 * refused unless {@link Builder#acceptEmptyDatabase accepted}. With {@link Builder#blobStore} the originals and
 * thumbnails live in a bucket of S3-compatible storage instead of {@code blobs/}.
 *
 * <p>A job's work is bounded by the {@link Limits} checked from the header before decoding, and in time by
 * {@link Builder#jobTimeout} (default 60 s): a job running longer fails with {@code timeout}, its worker thread is
 * interrupted and a new one takes its place, so a hung decode never holds a worker or a lease for long (Java cannot
 * stop a thread mid-decode, so the old thread is left to finish or hang on its own; its result is dropped).
 */
public final class ThumbnailService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ThumbnailService.class);
    private static final String CLOSED = "the thumbnail service is closed (shutting down); try again later";

    private final Path dataDir;
    private final Thumbnailer thumbnailer;
    private final Duration shutdownTimeout;
    private final DataDirLock lock;
    private final JobEvents events;
    private final JobStore store;
    private final BlobStore blobs;
    private final JobIntake intake;
    private final JobLookup lookup;
    private final JobRunner runner;
    private final Janitor janitor;
    private final WorkerPool workers;
    private final Finisher finisher;
    private final Housekeeping housekeeping;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Publisher publisher;
    private final StorageHealth health;

    private ThumbnailService(Builder b) {
        dataDir = b.dataDir;
        Clock clock = b.clock;
        thumbnailer = Thumbnailer.create(b.limits);
        shutdownTimeout = b.shutdownTimeout;
        Path database = dataDir.resolve("jobs.db");
        try {
            lock = DataDirLock.acquire(dataDir, database);
        } catch (RuntimeException e) {
            throw OpenFailure.of(dataDir, e);
        }
        events = new JobEvents();
        health = StorageHealth.of(clock);
        JobStore opened = null;
        BlobStore openedBlobs = null;
        try {
            openedBlobs = BlobStores.open(b.blobStore, dataDir, health.blobs());
            blobs = openedBlobs;
            OpeningChecks.requireDatabaseForStoredFiles(database, blobs.storedAtOpen(), b.acceptEmptyDatabase,
                    describe(b.quarantineGrace));
            opened = SqliteJobStore.open(database, clock.instant().truncatedTo(ChronoUnit.MILLIS),
                    events, health.database(), b.syncAcknowledged);
            store = opened;
            OpeningChecks.checkIntegrity(store, health.database());
            RecentOriginals originals = new RecentOriginals(RecentOriginals.DEFAULT_BUDGET);
            // Without worker threads (tests driving processNext) a job is finished on the calling thread. One
            // finisher thread per worker: they mostly wait for fsyncs, and one alone fell behind whenever the disk's
            // flushes slowed, leaving workers to wait on it.
            finisher = b.startWorkers ? new Finisher(b.workers, 8 * b.workers) : null;
            publisher = b.imgurClientId == null ? null : Publisher.imgur(new ImgurPublisher(
                    ImgurSettings.of(b.imgurClientId).withBaseUrl(b.imgurBaseUrl), clock, Sleeper.system()));
            intake = new JobIntake(store, blobs, originals, thumbnailer, clock,
                    new JobStore.QueueLimits(b.queueCapacity, b.maxQueuedPerOwner()), publisher != null);
            lookup = new JobLookup(store);
            UrlSourceLoader urlSources = new UrlSourceLoader(new UrlFetcher(
                    new SourceGuard(new SourcePolicy(b.allowPrivateSources, b.sourceAllowlist), HostResolver.system()),
                    FetchSettings.defaults().withTimeouts(b.fetchConnectTimeout, b.fetchTotalTimeout)
                            .withMaxBytes(b.limits.maxInputBytes())), thumbnailer);
            runner = new JobRunner(store, blobs, originals, b.pipeline != null ? b.pipeline : Pipeline.of(thumbnailer),
                    clock, "node-" + UUID.randomUUID(), b.lease, b.maxAttempts,
                    new Backoff(b.retryBackoff, b.retryBackoff.multipliedBy(64)), urlSources, publisher,
                    finisher != null ? finisher : Runnable::run, b.jobTimeout, health);
            janitor = new Janitor(store, blobs, health.database(), clock, b.ttl, b.quarantineGrace, events::deleted);
            workers = new WorkerPool(runner, b.workers, b.idleWait, b.workerNice);
            housekeeping = new Housekeeping(store, blobs, runner, workers, janitor, lock, health, clock, b.lease,
                    b.maxAttempts);
            housekeeping.recover();
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            if (openedBlobs != null) {
                openedBlobs.close();
            }
            events.close(Duration.ZERO);
            lock.close();
            throw OpenFailure.of(dataDir, e);
        }
        if (b.startWorkers) {
            housekeeping.start(b.heartbeat, b.jobTimeout, b.janitorInterval);
            workers.start();
        }
        log.info("thumbnail service started in {} with {} workers", dataDir, b.workers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Accepts one image. Returns once the job row and the original bytes are durable on disk (forced to it: they
     * survive a loss of power).
     * Refuses at once, with a {@link ThumbnailException}, input over the byte limit ({@code too_large}),
     * bytes that are not a supported image ({@code unsupported_format}), a full queue or an owner past its share of
     * it ({@code queue_full}, see {@link Builder#maxQueuedPerOwner}).
     * An image whose bytes and spec match a done job of the same owner is returned done, without decoding again;
     * another owner's jobs are never matched, so the answer tells no owner what another has sent.
     */
    public Job submit(ImageSource source, ThumbnailSpec spec) {
        return submit(source, spec, null);
    }

    /** As {@link #submit(ImageSource, ThumbnailSpec)}, recording an owner (for example an API key's name). */
    public Job submit(ImageSource source, ThumbnailSpec spec, String owner) {
        return submit(source, spec, owner, null);
    }

    /**
     * As {@link #submit(ImageSource, ThumbnailSpec, String)}; once the thumbnail is made a worker publishes it to
     * {@code publishTo} ({@link Publication#IMGUR}, needs {@link Builder#imgurClientId}), recording the link on the
     * job's {@link Job#publication()}. A failed publish is recorded there too; it never fails the job.
     *
     * @throws ThumbnailException {@code invalid_request} for an unknown or unconfigured {@code publishTo}
     */
    public Job submit(ImageSource source, ThumbnailSpec spec, String owner, String publishTo) {
        Objects.requireNonNull(source, "source");
        Job job = whileOpen(() -> intake.submit(source.input(), spec, owner, publishTo));
        workers.wakeUp();
        return job;
    }

    /** As {@link #submitAll(List, ThumbnailSpec, String)}, publishing each thumbnail as in {@link #submit(ImageSource, ThumbnailSpec, String, String)}. */
    public Batch submitAll(List<ImageSource> sources, ThumbnailSpec spec, String owner, String publishTo) {
        Objects.requireNonNull(sources, "sources");
        List<ImageInput> inputs = sources.stream()
                .map(source -> Objects.requireNonNull(source, "sources contains null").input()).toList();
        UUID id = whileOpen(() -> intake.submitAll(inputs, spec, owner, publishTo));
        workers.wakeUp();
        return whileOpen(() -> store.batch(id).orElseThrow(() -> new IllegalStateException("batch " + id + " vanished")));
    }

    /** Whether thumbnails can be published to Imgur (a client id is configured). */
    public boolean canPublishToImgur() {
        return publisher != null;
    }

    /**
     * Accepts several images as one batch. One bad item becomes a failed job; it does not fail the batch. The whole
     * batch is refused with {@code queue_full} if its items do not fit in the queue, or in the owner's share of it.
     */
    public Batch submitAll(List<ImageSource> sources, ThumbnailSpec spec, String owner) {
        return submitAll(sources, spec, owner, null);
    }

    /**
     * A new, empty upload in the data directory, to receive an image's bytes as they arrive and then be submitted
     * (see {@link ImageUpload}); its size is bounded by the input limit.
     */
    public ImageUpload newUpload() {
        return whileOpen(() -> new ImageUpload(blobs.receive(), thumbnailer.limits().maxInputBytes()));
    }

    public Optional<Job> get(UUID id) {
        return whileOpen(() -> store.get(id));
    }

    /** Jobs newest first, one page at a time. */
    public Page<Job> list(JobQuery query) {
        Objects.requireNonNull(query, "query");
        return whileOpen(() -> store.list(query));
    }

    /** Deletes a job and every file no other job references; returns the job as it was, or empty if unknown. */
    public Optional<Job> delete(UUID id) {
        return whileOpen(() -> {
            Optional<Job> deleted = store.delete(id);
            deleted.ifPresent(job -> {
                events.deleted(job);
                janitor.deleteFiles(job);
            });
            return deleted;
        });
    }

    /**
     * Waits until the job is done or failed, or the timeout passes, without polling. Returns the job's state at that
     * moment (still queued or processing on timeout). Throws {@code not_found} if the id is unknown (or the job is
     * deleted while waited for), and {@code unavailable} if the service closes meanwhile: {@link #close()} ends every
     * wait at once.
     */
    public Job await(UUID id, Duration timeout) throws InterruptedException {
        checkOpen();
        Optional<Job> job;
        try {
            job = events.await(id, timeout, () -> store.get(id));
        } catch (RuntimeException e) {
            throw closing(e);
        }
        return job.orElseThrow(() -> JobLookup.notFound(id));
    }

    /**
     * As {@link #await}, without holding a thread while waiting: the future completes with the job once it is done
     * or failed, or with its state when the timeout passes; exceptionally with {@code not_found} for an unknown id
     * (or a job deleted while waited for), or {@code unavailable} once the service closes: {@link #close()} ends
     * these waits too. What follows the completion runs on {@code executor}.
     */
    public CompletableFuture<Job> awaitAsync(UUID id, Duration timeout, Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return whileOpen(() -> events.awaitAsync(id, timeout, () -> whileOpen(() -> store.get(id)), executor))
                .thenApply(job -> job.orElseThrow(() -> JobLookup.notFound(id)));
    }

    /**
     * The thumbnail's bytes; {@code not_found} if unknown, {@code not_ready} if not done, the job's error if failed.
     */
    public byte[] thumbnailBytes(UUID id) {
        return whileOpen(() -> blobs.read(lookup.done(id).result().sha256()));
    }

    /**
     * The thumbnail opened for streaming, with its length, format and hash; close it once read. Same errors as
     * {@link #thumbnailBytes}.
     */
    public ThumbnailContent openThumbnail(UUID id) {
        return whileOpen(() -> {
            JobResult result = lookup.done(id).result();
            return open(result.sha256(), result.format());
        });
    }

    /**
     * The thumbnail in {@code format}, opened for streaming: its result's, or its {@link JobResult#fallback()
     * fallback's} (an {@link OutputFormat#AUTO_WEBP} job keeps the same thumbnail as WebP and as JPEG or PNG). Same
     * errors as {@link #thumbnailBytes}, and {@code not_found} if the job has its thumbnail in no such format.
     */
    public ThumbnailContent openThumbnail(UUID id, ImageFormat format) {
        return whileOpen(() -> {
            JobResult result = lookup.done(id).result();
            if (result.format() == format) {
                return open(result.sha256(), format);
            }
            if (result.fallback() != null && result.fallback().format() == format) {
                return open(result.fallback().sha256(), format);
            }
            throw new ThumbnailException(ErrorCode.NOT_FOUND, "job " + id + " has no " + format.id() + " thumbnail");
        });
    }

    private ThumbnailContent open(String sha256, ImageFormat format) {
        BlobStore.Content content = blobs.open(sha256);
        return new ThumbnailContent(content.stream(), content.length(), format, sha256);
    }

    public Optional<Batch> batch(UUID id) {
        return whileOpen(() -> store.batch(id));
    }

    /** Registers a listener for every job state change; closing the returned handle removes it. */
    public AutoCloseable addListener(JobListener listener) {
        return events.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The service's state for health checks and metrics. A store whose writes failed is probed first (at most once a
     * second), so a health check sees it work again as soon as it does.
     */
    public ServiceStats stats() {
        housekeeping.probeFailingStores();
        blobs.ping();
        boolean ok = store.ping();
        long free;
        try {
            free = Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        return new ServiceStats(ok, free, ok ? store.count(JobStatus.QUEUED) : -1,
                ok ? store.count(JobStatus.PROCESSING) : -1, workers.size(), workers.busy(),
                health.database().intact(), health.database().writable(), health.blobs().writable(),
                blobs.quarantined());
    }

    /** The pipeline this service uses (also usable directly, for example by a CLI). */
    public Thumbnailer thumbnailer() {
        return thumbnailer;
    }

    /**
     * Ends every {@link #await} and {@link #awaitAsync} in progress with {@code unavailable} (its caller can answer at once rather than be cut
     * off), stops claiming, lets running jobs finish within the shutdown timeout, leaves the rest queued, and then
     * tells the listeners {@link JobListener#onClose()}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        events.endWaits(CLOSED);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        workers.stop(shutdownTimeout);
        if (finisher != null) {
            finisher.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        housekeeping.stop(shutdownTimeout);
        events.close(shutdownTimeout);
        store.close();
        blobs.close();
        lock.close();
        log.info("thumbnail service in {} closed", dataDir);
    }

    // Hooks for tests in this package: drive the background work by hand, with the clock they control.

    /** Claims and runs the oldest ready job on the calling thread; false if none was ready. */
    boolean processNext() {
        return runner.runNext();
    }

    int heartbeat() {
        return housekeeping.heartbeat();
    }

    List<Job> reapExpiredLeases() {
        return housekeeping.reapExpiredLeases();
    }

    /** Fails jobs running longer than the job time limit and replaces their workers; returns the failed jobs. */
    List<Job> expireOverdueJobs() {
        return housekeeping.expireOverdueJobs();
    }

    Janitor.Report runJanitor() {
        return housekeeping.runJanitor();
    }

    /** How many waits ({@link #await}, {@link #awaitAsync}) are in progress now. */
    int waiting() {
        return events.waiting();
    }

    StorageHealth health() {
        return health;
    }

    /** The job store, whose database tests make fail. */
    JobStore store() {
        return store;
    }

    /** Makes the data directory's lock file again if it went missing; whether it had to. */
    boolean verifyLock() {
        return lock.verify();
    }

    void stopClaiming() {
        workers.stopClaiming();
    }

    private static String describe(Duration d) {
        return d.toDays() > 0 && d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toString();
    }

    /** Calls after {@link #close()} are refused with {@code unavailable}, which a front end can answer 503. */
    private void checkOpen() {
        if (closed.get()) {
            throw new ThumbnailException(ErrorCode.UNAVAILABLE, CLOSED);
        }
    }

    /**
     * Runs a call of the public API while the service is open. A call that was under way when {@link #close()}
     * began can fail as the store closes beneath it: that is {@code unavailable} too, not a storage fault.
     */
    private <T> T whileOpen(Supplier<T> call) {
        checkOpen();
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw closing(e);
        }
    }

    /** {@code e}, or {@code unavailable} in its place when the service closed and {@code e} is not the input's fault. */
    private RuntimeException closing(RuntimeException e) {
        if (!closed.get() || e instanceof ThumbnailException te
                && (te.code() == ErrorCode.UNAVAILABLE || !te.code().isTransient())) {
            return e;
        }
        return new ThumbnailException(ErrorCode.UNAVAILABLE,
                "the thumbnail service closed while answering (shutting down); try again later", e);
    }

    /**
     * Options with defaults that just work; each is validated when set, with a message naming the option.
     */
    public static final class Builder {
        Path dataDir = ServiceDefaults.DATA_DIR;
        int workers = ServiceDefaults.workers();
        Limits limits = Limits.defaults();
        int queueCapacity = ServiceDefaults.QUEUE_CAPACITY;
        Integer maxQueuedPerOwner;
        int maxAttempts = ServiceDefaults.MAX_ATTEMPTS;
        Duration retryBackoff = ServiceDefaults.RETRY_BACKOFF;
        Duration lease = ServiceDefaults.LEASE;
        Duration heartbeat = ServiceDefaults.HEARTBEAT;
        Duration ttl;
        Duration janitorInterval = ServiceDefaults.JANITOR_INTERVAL;
        Duration shutdownTimeout = ServiceDefaults.SHUTDOWN_TIMEOUT;
        Duration jobTimeout = ServiceDefaults.JOB_TIMEOUT;
        Clock clock = Clock.systemUTC();
        Pipeline pipeline;
        boolean startWorkers = true;
        boolean allowPrivateSources;
        Set<String> sourceAllowlist = Set.of();
        Duration fetchConnectTimeout = FetchSettings.DEFAULT_CONNECT_TIMEOUT;
        Duration fetchTotalTimeout = FetchSettings.DEFAULT_TOTAL_TIMEOUT;
        String imgurClientId;
        URI imgurBaseUrl = ServiceDefaults.IMGUR_BASE_URL;
        /** How long an idle worker waits, unless woken by a submit, before looking for retries that came due. */
        Duration idleWait = Duration.ofSeconds(1);
        int workerNice;
        boolean syncAcknowledged = true;
        boolean acceptEmptyDatabase;
        Duration quarantineGrace = ServiceDefaults.QUARANTINE_GRACE;
        S3Location blobStore;

        private Builder() {
        }

        /** Where {@code jobs.db} and {@code blobs/} live (default {@code data}); created if missing. */
        public Builder dataDir(Path value) {
            this.dataDir = Objects.requireNonNull(value, "dataDir must not be null");
            return this;
        }

        /**
         * Keeps originals and thumbnails in a bucket of S3-compatible object storage instead of {@code blobs/} in the
         * data directory: {@code s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION&path-style=true}. Without an
         * endpoint it is AWS S3 (region {@code us-east-1} unless given); with one, buckets are addressed by path
         * unless {@code path-style=false}. The keys come from {@code AWS_ACCESS_KEY_ID} and
         * {@code AWS_SECRET_ACCESS_KEY} in the environment, never from the location. {@link #build()} asks the bucket
         * once, and fails naming the bucket and the reason if it cannot be used. Null (the default): the local disk.
         */
        public Builder blobStore(String location) {
            try {
                this.blobStore = location == null || location.isBlank() ? null : S3Location.parse(location);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("blobStore must be " + e.getMessage(), e);
            }
            return this;
        }

        /** Worker threads (default: the number of cores), 1-{@value ServiceDefaults#MAX_WORKERS}. */
        public Builder workers(int value) {
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
        public Builder workerNice(int value) {
            if (value < 0 || value > ServiceDefaults.MAX_WORKER_NICE) {
                throw new IllegalArgumentException("workerNice must be between 0 and " + ServiceDefaults.MAX_WORKER_NICE
                        + " (was " + value + ")");
            }
            this.workerNice = value;
            return this;
        }

        public Builder limits(Limits value) {
            this.limits = Objects.requireNonNull(value, "limits must not be null");
            return this;
        }

        /**
         * The most jobs that may wait in the queue (default {@value ServiceDefaults#QUEUE_CAPACITY}); a submit beyond
         * it fails with queue_full. See {@link #maxQueuedPerOwner} for one owner's share of it.
         */
        public Builder queueCapacity(int value) {
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
        public Builder maxQueuedPerOwner(int value) {
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
        public Builder maxAttempts(int value) {
            if (value < 1 || value > ServiceDefaults.MAX_MAX_ATTEMPTS) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and "
                        + ServiceDefaults.MAX_MAX_ATTEMPTS + " (was " + value + ")");
            }
            this.maxAttempts = value;
            return this;
        }

        /** The wait before the first retry (default 1s); it doubles with each further retry, up to 64 times this. */
        public Builder retryBackoff(Duration value) {
            this.retryBackoff = positive("retryBackoff", value);
            return this;
        }

        /** How long a claimed job is held without a heartbeat before others may take it (default 30s). */
        public Builder lease(Duration value) {
            this.lease = positive("lease", value);
            return this;
        }

        /** How often running jobs' leases are extended (default 10s); must be shorter than the lease. */
        public Builder heartbeat(Duration value) {
            this.heartbeat = positive("heartbeat", value);
            return this;
        }

        /** Finished jobs older than this are deleted by the janitor; null (the default) keeps them forever. */
        public Builder ttl(Duration value) {
            this.ttl = value == null ? null : positive("ttl", value);
            return this;
        }

        /**
         * Starts even when the job database is missing or empty while {@code blobs/} holds images (default false:
         * such a start is refused, since no job would refer to any of them). Accepted, the images move to the
         * quarantine, from which a database restored later gets them back within the {@link #quarantineGrace}.
         */
        public Builder acceptEmptyDatabase(boolean value) {
            this.acceptEmptyDatabase = value;
            return this;
        }

        /**
         * How long a file no job refers to stays in {@code blobs/quarantine} before the janitor deletes it (default 7
         * days). The sweep moves such files there instead of deleting them, so a database that lost its rows costs
         * no image within this time.
         */
        public Builder quarantineGrace(Duration value) {
            this.quarantineGrace = positive("quarantineGrace", value);
            return this;
        }

        public Builder janitorInterval(Duration value) {
            this.janitorInterval = positive("janitorInterval", value);
            return this;
        }

        /** How long close() waits for running jobs (default 20s). */
        public Builder shutdownTimeout(Duration value) {
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
        public Builder jobTimeout(Duration value) {
            this.jobTimeout = positive("jobTimeout", value);
            return this;
        }

        /** Where every timestamp and lease decision takes its time from (default UTC system clock). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock must not be null");
            return this;
        }

        /**
         * Lets URL sources reach loopback, private and other internal addresses (default false: such URLs fail with
         * {@code source_blocked}). For local use only: on a server it lets callers probe the internal network.
         */
        public Builder allowPrivateSources(boolean value) {
            this.allowPrivateSources = value;
            return this;
        }

        /**
         * When not empty, URL sources may only name these hosts ({@code example.com}, or {@code *.example.com} for its
         * subdomains). The address checks still apply unless private sources are allowed.
         */
        public Builder sourceAllowlist(Set<String> hosts) {
            this.sourceAllowlist = new SourcePolicy(false, Objects.requireNonNull(hosts, "sourceAllowlist must not be null"))
                    .hostAllowlist();
            return this;
        }

        /** Connect and total timeouts for fetching URL sources (defaults 5 s and 30 s). */
        public Builder fetchTimeouts(Duration connect, Duration total) {
            FetchSettings checked = FetchSettings.defaults().withTimeouts(connect, total);
            this.fetchConnectTimeout = checked.connectTimeout();
            this.fetchTotalTimeout = checked.totalTimeout();
            return this;
        }

        /** The Imgur application's Client-ID; set it to allow publishing thumbnails to Imgur (default: none). */
        public Builder imgurClientId(String value) {
            this.imgurClientId = value == null ? null : ImgurSettings.of(value).clientId();
            return this;
        }

        /** Imgur's API root (default {@code https://api.imgur.com}); tests point it at a local stand-in. */
        public Builder imgurBaseUrl(URI value) {
            this.imgurBaseUrl = ImgurSettings.checkBaseUrl(value);
            return this;
        }

        /** Tests: replace the pipeline the workers run. */
        Builder pipeline(Pipeline value) {
            this.pipeline = value;
            return this;
        }

        /** Tests: how long idle workers wait between looks at the queue when no submit wakes them. */
        Builder idleWait(Duration value) {
            this.idleWait = positive("idleWait", value);
            return this;
        }

        /**
         * Benchmarks: false commits accepted and deleted jobs without forcing them to disk, to measure what forcing
         * them costs.
         */
        Builder syncAcknowledged(boolean value) {
            this.syncAcknowledged = value;
            return this;
        }

        /** Tests: false starts no worker or housekeeping thread; the test drives them through the package hooks. */
        Builder startWorkers(boolean value) {
            this.startWorkers = value;
            return this;
        }

        /** Opens (or creates and migrates) the store in {@code dataDir} and starts the workers. */
        public ThumbnailService build() {
            if (maxQueuedPerOwner != null && maxQueuedPerOwner > queueCapacity) {
                throw new IllegalArgumentException("maxQueuedPerOwner must not be more than queueCapacity"
                        + " (maxQueuedPerOwner " + maxQueuedPerOwner + ", queueCapacity " + queueCapacity + ")");
            }
            if (heartbeat.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("heartbeat must be shorter than lease (heartbeat " + heartbeat
                        + ", lease " + lease + ")");
            }
            return new ThumbnailService(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name + " must not be null");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive (was " + value + ")");
            }
            return value;
        }
    }
}
