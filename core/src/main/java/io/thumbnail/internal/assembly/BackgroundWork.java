package io.thumbnail.internal.assembly;

import io.thumbnail.Job;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.jobs.JobEvents;
import io.thumbnail.internal.publish.Publishing;
import io.thumbnail.internal.store.DataDirLock;
import io.thumbnail.internal.webhook.Webhooks;
import io.thumbnail.internal.worker.Housekeeping;
import io.thumbnail.internal.worker.Janitor;
import io.thumbnail.internal.worker.JobRunner;

import java.time.Duration;
import java.util.List;

/**
 * A service's background work (its workers', publishing's and webhooks' threads, the housekeeping's timers), each
 * step run by hand on the calling thread: how tests drive a service built without those threads, with the clock they
 * control, one step at a time.
 */
public final class BackgroundWork {
    private final JobRunner runner;
    private final Publishing publishing;
    private final Webhooks webhooks;
    private final JobEvents events;
    private final Housekeeping housekeeping;
    private final BlobStore blobs;
    private final ServiceStatus status;
    private final DataDirLock lock;

    BackgroundWork(JobRunner runner, Publishing publishing, Webhooks webhooks, JobEvents events,
                   Housekeeping housekeeping, BlobStore blobs, ServiceStatus status, DataDirLock lock) {
        this.runner = runner;
        this.publishing = publishing;
        this.webhooks = webhooks;
        this.events = events;
        this.housekeeping = housekeeping;
        this.blobs = blobs;
        this.status = status;
        this.lock = lock;
    }

    /**
     * Claims and runs the oldest ready job on the calling thread, then the publications waiting (its own, if it asked
     * for one); false if no job was ready.
     */
    public boolean processNext() {
        boolean ran = runner.runNext();
        publishing.runQueued();
        return ran;
    }

    /** Claims and runs the oldest ready job on the calling thread, leaving the publication it asks for waiting. */
    public boolean runNextJob() {
        return runner.runNext();
    }

    /** Runs the publications waiting on the calling thread (those resumed at start among them); returns how many. */
    public int publishQueued() {
        return publishing.runQueued();
    }

    /**
     * Looks, on the calling thread, for pending publications no node holds (as each node does every minute), and asks
     * for them; returns how many were not asked for already. {@link #publishQueued} then publishes them.
     */
    public int takeUpPendingPublications() {
        return publishing.takeUpPending();
    }

    /**
     * Ends the publications whose publisher has run past its time limit (as the heartbeat does), recording them failed;
     * returns how many.
     */
    public int expireOverduePublications() {
        return publishing.expireOverdue();
    }

    /** Renews the leases of the publications under way on this node (as its heartbeat does); returns how many. */
    public int renewPublicationLeases() {
        return publishing.renewLeases();
    }

    /** Tries the webhook deliveries whose time has come by the clock on the calling thread; returns how many. */
    public int deliverDueWebhooks() {
        events.awaitDelivered(Duration.ofSeconds(10));
        return webhooks.runDue();
    }

    public int heartbeat() {
        return housekeeping.heartbeat();
    }

    public List<Job> reapExpiredLeases() {
        return housekeeping.reapExpiredLeases();
    }

    /** How many crash suspects are queued or being made, each to run alone on the node that claims it. */
    public long crashSuspects() {
        return housekeeping.crashSuspects();
    }

    /** Fails jobs running longer than the job time limit and replaces their workers; returns the failed jobs. */
    public List<Job> expireOverdueJobs() {
        return housekeeping.expireOverdueJobs();
    }

    /** Probes a store known to fail, if a probe is due by the clock; whether both stores work. */
    public boolean probeFailingStores() {
        return housekeeping.probeFailingStores();
    }

    /**
     * The housekeeping's every-second checks, on the calling thread: probes a failing store (if a probe is due by the
     * clock), asks a blob store silent a while whether it answers, and reads the status health checks answer from.
     */
    public void checkStatus() {
        housekeeping.probeFailingStores();
        blobs.ping();
        status.refresh();
    }

    public Janitor.Report runJanitor() {
        return housekeeping.runJanitor();
    }

    /** Makes the data directory's lock file again if it went missing; whether it had to. */
    public boolean verifyLock() {
        return lock.verify();
    }
}
