package io.thumbnail.internal.assembly;

import io.thumbnail.Limits;
import io.thumbnail.Publisher;
import io.thumbnail.internal.blob.s3.S3Location;
import io.thumbnail.internal.image.Pipeline;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.source.FetchSettings;
import io.thumbnail.internal.source.SourcePolicy;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.webhook.WebhookSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a service is assembled from, checked as a whole: the builder checks each value as it is set, this record
 * what only holds between values (a heartbeat shorter than the lease, an owner's share within the queue).
 *
 * @param queue             the queue capacity and each owner's share of it
 * @param ttl               how long finished jobs are kept, or null for ever
 * @param publishers        where jobs may ask for their thumbnails to be published (Imgur's among them once configured)
 * @param pipeline          what workers run (a stand-in in tests), or null for the real pipeline
 * @param startWorkers      false: no worker or housekeeping thread (tests drive them by hand)
 * @param idleWait          how long an idle worker waits, unless woken by a submit, before looking for retries come due
 * @param syncAcknowledged  false: accepted and deleted jobs are committed without forcing them to disk (benchmarks)
 * @param database          the PostgreSQL JDBC URL of the job database several nodes share, or null for SQLite in
 *                          {@code dataDir}
 * @param blobStore         the bucket originals and thumbnails are kept in, or null for {@code blobs/} in
 *                          {@code dataDir}
 * @param nodeId            the name this node holds its jobs' leases under
 * @param webhooks          how callbacks are signed, rendered and retried
 */
public record ServiceSettings(Path dataDir, int workers, int workerNice, Limits limits, JobStore.QueueLimits queue,
                              int maxAttempts, Duration retryBackoff, Duration lease, Duration heartbeat, Duration ttl,
                              Duration janitorInterval, Duration shutdownTimeout, Duration jobTimeout, Clock clock,
                              SourcePolicy sourcePolicy, FetchSettings fetch, List<Publisher> publishers,
                              boolean acceptEmptyDatabase, Duration quarantineGrace, Pipeline pipeline,
                              boolean startWorkers, Duration idleWait, boolean syncAcknowledged, String database,
                              S3Location blobStore, String nodeId, Duration priorityAging, WebhookSettings webhooks) {
    public ServiceSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sourcePolicy, "sourcePolicy");
        Objects.requireNonNull(fetch, "fetch");
        publishers = List.copyOf(publishers);
        Publishers.check(publishers);
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(priorityAging, "priorityAging");
        Objects.requireNonNull(webhooks, "webhooks");
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("heartbeat must be shorter than lease (heartbeat " + heartbeat
                    + ", lease " + lease + ")");
        }
    }
}
