package io.thumbnail.internal.assembly;

import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.internal.jobs.BatchSubscriptions;
import io.thumbnail.internal.jobs.JobEvents;
import io.thumbnail.internal.jobs.JobIntake;
import io.thumbnail.internal.jobs.JobLookup;
import io.thumbnail.internal.jobs.JobWaits;
import io.thumbnail.internal.keys.ServiceKeys;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.publish.Publishing;
import io.thumbnail.internal.publish.PublishingLease;
import io.thumbnail.internal.source.HostResolver;
import io.thumbnail.internal.source.SourceGuard;
import io.thumbnail.internal.source.SourcePolicy;
import io.thumbnail.internal.source.UrlFetcher;
import io.thumbnail.internal.source.UrlSourceLoader;
import io.thumbnail.internal.store.DataDirLock;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.OpenFailure;
import io.thumbnail.internal.store.OpeningChecks;
import io.thumbnail.internal.store.postgres.PostgresDatabase;
import io.thumbnail.internal.time.Sleeper;
import io.thumbnail.internal.worker.Backoff;
import io.thumbnail.internal.worker.Finisher;
import io.thumbnail.internal.worker.Housekeeping;
import io.thumbnail.internal.worker.Janitor;
import io.thumbnail.internal.worker.JobRunner;
import io.thumbnail.internal.webhook.WebhookSecret;
import io.thumbnail.internal.webhook.Webhooks;
import io.thumbnail.internal.worker.WorkerPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The parts of a service, wired from its {@link ServiceSettings}: the data directory's lock, the job store and the blob
 * store ({@link ServiceStores}: SQLite and the local disk, or PostgreSQL and a bucket), job events, the intake, the
 * workers with their runner and finisher, URL sources, publishing and webhooks (each on threads of its own), and the
 * housekeeping that recovers what a crash left and keeps leases and files in order. Opening checks
 * the stores, recovers and starts the threads; {@link #close} stops them in a fixed order with bounded waits.
 */
public final class ServiceAssembly {
    private static final Logger log = LoggerFactory.getLogger(ServiceAssembly.class);

    private final ServiceSettings settings;
    private final DataDirLock lock;
    private final JobWaits waits = new JobWaits();
    private final JobEvents events;
    private final StorageHealth health;
    private final ServiceStores stores;
    private final BlobStore blobs;
    private final JobStore store;
    private final ImagePipeline images;
    private final JobIntake intake;
    private final JobLookup lookup;
    private final JobRunner runner;
    private final Janitor janitor;
    private final WorkerPool workers;
    private final Finisher finisher;
    private final Housekeeping housekeeping;
    private final ServiceStatus status;
    private final BatchSubscriptions batches;
    private final Publishing publishing;
    private final ServiceKeys keys;
    private final Webhooks webhooks;
    private final BackgroundWork byHand;

    private ServiceAssembly(ServiceSettings s) {
        settings = s;
        Path database = s.dataDir().resolve("jobs.db");
        try {
            lock = DataDirLock.acquire(s.dataDir(), database);
        } catch (RuntimeException e) {
            throw OpenFailure.of(s.dataDir(), e);
        }
        events = new JobEvents(waits);
        health = StorageHealth.of(s.clock());
        ServiceStores opened = null;
        try {
            opened = ServiceStores.open(s, events, health);
            stores = opened;
            store = opened.jobs();
            blobs = opened.blobs();
            OpeningChecks.checkIntegrity(store, health.database());
            probeBlobs(blobs);
            keys = new ServiceKeys(store, s.clock());
            images = new ImagePipeline(s.limits());
            RecentOriginals originals = new RecentOriginals(RecentOriginals.DEFAULT_BUDGET);
            // Without worker threads (tests driving processNext) a job is finished on the calling thread. One
            // finisher thread per worker: they mostly wait for fsyncs, and one alone fell behind whenever the disk's
            // flushes slowed, leaving workers to wait on it.
            finisher = s.hooks().startWorkers() ? new Finisher(s.workers(), 8 * s.workers(), s.workerNice()) : null;
            Publishers publishers = new Publishers(s.publishers());
            publishing = new Publishing(store, blobs, publishers, s.clock(),
                    new PublishingLease(s.nodeId(), s.lease(), s.heartbeat()), Sleeper.system(),
                    s.hooks().startWorkers());
            SourceGuard sourceGuard = new SourceGuard(s.sourcePolicy(), HostResolver.system());
            UrlSourceLoader urlSources = new UrlSourceLoader(new UrlFetcher(sourceGuard, s.fetch()), images);
            runner = new JobRunner(store, blobs, originals, s.hooks().pipelineOr(images),
                    s.clock(), s.nodeId(), s.lease(), s.priorityAging(), s.maxAttempts(),
                    new Backoff(s.retryBackoff(), s.retryBackoff().multipliedBy(64)), urlSources, publishing::publish,
                    finisher != null ? finisher : Runnable::run, s.jobTimeout(), health, Sleeper.system());
            janitor = new Janitor(store, blobs, health.database(), s.clock(), s.ttl(), s.quarantineGrace(),
                    events::deleted);
            workers = new WorkerPool(runner, s.workers(), s.hooks().idleWait(), s.workerNice());
            // Callbacks pass the address checks of URL sources, not their host allowlist: that names image hosts.
            webhooks = new Webhooks(store, new SourceGuard(new SourcePolicy(s.sourcePolicy().allowPrivateSources(),
                    Set.of()), HostResolver.system()), s.webhooks(), s.clock(),
                    new WebhookSecret(s.dataDir(), s.webhooks().secret(), keys), s.hooks().startWorkers());
            webhooks.openSecret();
            events.addListener(webhooks);
            intake = new JobIntake(store, blobs, originals, images, s.clock(), s.queue(), publishers, webhooks,
                    sourceGuard::checkWithoutLookup, workers::wakeUp);
            lookup = new JobLookup(store, blobs, publishers, job -> {
                events.deleted(job);
                janitor.deleteFiles(job);
                runner.stopDeleted(job.id(), workers::abandon);
            });
            housekeeping = new Housekeeping(store, blobs, runner, workers, janitor, lock, health, s.clock(), s.lease(),
                    s.maxAttempts());
            status = new ServiceStatus(s.dataDir(), store, blobs, health, workers, s.clock(), s.queue().capacity());
            batches = new BatchSubscriptions(lookup, ServiceGate.CLOSED);
            events.addListener(batches);
            housekeeping.recover();
            publishing.resumePendingSoon();
            store.listen(events.remoteChanges(workers::wakeUp));
            webhooks.resumePendingSoon();
            byHand = new BackgroundWork(runner, publishing, webhooks, events, housekeeping, blobs, status, lock);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            events.close(Duration.ZERO);
            lock.close();
            throw OpenFailure.of(s.dataDir(), e);
        }
    }

    /**
     * One small write to the blob store, so that one that cannot be written (a folder its user may not write) shows
     * in health checks, and refuses uploads, from the start rather than from the first upload on.
     */
    private static void probeBlobs(BlobStore blobs) {
        try {
            blobs.probeWrite();
        } catch (StoreException e) {
            // Its health knows, and has logged it; the housekeeping probes it again until it works.
        }
    }

    /** Opens (or creates and migrates) the stores in the data directory, recovers, and starts the workers. */
    public static ServiceAssembly open(ServiceSettings settings) {
        ServiceAssembly parts = new ServiceAssembly(settings);
        if (settings.hooks().startWorkers()) {
            try {
                parts.housekeeping.start(settings.heartbeat(), settings.jobTimeout(), settings.janitorInterval(),
                        parts.status::refresh);
                parts.workers.start();
            } catch (RuntimeException e) {
                // Whatever started stops, and the data directory is free to open again.
                try {
                    parts.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw OpenFailure.of(settings.dataDir(), e);
            }
        }
        log.info("thumbnail service started in {} with {} workers, node {}, jobs in {}", settings.dataDir(),
                settings.workers(), settings.nodeId(),
                settings.database() == null ? "SQLite" : PostgresDatabase.mask(settings.database()));
        return parts;
    }

    public ServiceSettings settings() {
        return settings;
    }

    public JobIntake intake() {
        return intake;
    }

    public JobLookup lookup() {
        return lookup;
    }

    public JobEvents events() {
        return events;
    }

    public JobWaits waits() {
        return waits;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public BatchSubscriptions batches() {
        return batches;
    }

    public ServiceStatus status() {
        return status;
    }

    public ServiceKeys keys() {
        return keys;
    }

    /** Ends every wait in progress with {@code unavailable} and stops claiming; all else goes on until {@link #close}. */
    public void beginClose() {
        waits.endWaits(ServiceGate.CLOSED);
        batches.endWaits();
        workers.stopClaiming();
    }

    /**
     * Ends every wait in progress with {@code unavailable}, stops claiming, lets running jobs finish
     * within the shutdown timeout, leaves the rest queued, then tells the listeners and closes the stores.
     */
    public void close() {
        Duration timeout = settings.shutdownTimeout();
        waits.endWaits(ServiceGate.CLOSED);
        batches.endWaits();
        long deadline = System.nanoTime() + timeout.toNanos();
        Supplier<Duration> left = () -> Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        // Each step is taken even if one before it failed: a close that stopped half way would leave threads
        // running and the data directory locked for the rest of the process. The first failure is thrown at the end.
        RuntimeException failure = step(null, () -> workers.stop(timeout));
        if (finisher != null) {
            failure = step(failure, () -> finisher.stop(left.get()));
        }
        failure = step(failure, () -> publishing.stop(left.get()));
        failure = step(failure, () -> webhooks.stop(left.get()));
        failure = step(failure, () -> housekeeping.stop(timeout));
        failure = step(failure, () -> events.close(timeout));
        failure = step(failure, health::close);
        failure = step(failure, stores::close);
        failure = step(failure, lock::close);
        if (failure != null) {
            throw failure;
        }
        log.info("thumbnail service in {} closed", settings.dataDir());
    }

    /** Runs one step of closing; returns the first failure so far, with any later one suppressed in it. */
    private static RuntimeException step(RuntimeException failure, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    /** The background work, to run by hand on the calling thread (tests, with the clock they control). */
    public BackgroundWork byHand() {
        return byHand;
    }

    public StorageHealth health() {
        return health;
    }

    /** The job store, whose database tests make fail. */
    public JobStore store() {
        return store;
    }

    /** How many waits (for a job or a batch) are in progress now. */
    public int waiting() {
        return waits.waiting() + batches.waiting();
    }

    /** Stops the workers claiming jobs, as closing begins to. */
    public void stopClaiming() {
        workers.stopClaiming();
    }
}
