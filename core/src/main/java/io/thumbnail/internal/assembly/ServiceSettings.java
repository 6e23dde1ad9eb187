package io.thumbnail.internal.assembly;

import io.thumbnail.Limits;
import io.thumbnail.Publisher;
import io.thumbnail.ServiceDefaults;
import io.thumbnail.WebhookBody;
import io.thumbnail.internal.blob.s3.S3Location;
import io.thumbnail.internal.publish.ImgurPublisher;
import io.thumbnail.internal.publish.ImgurSettings;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.source.FetchSettings;
import io.thumbnail.internal.source.SourcePolicy;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.NodeIds;
import io.thumbnail.internal.store.postgres.PostgresDatabase;
import io.thumbnail.internal.time.Sleeper;
import io.thumbnail.internal.webhook.WebhookSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Every option of a service as its builder was given them, checked as a whole when the service is built: each value
 * against what it allows, and what only holds between values (a heartbeat shorter than the lease, an owner's share
 * within the queue). A refusal names the option as the builder spells it, says what was wrong and what is allowed.
 *
 * @param database          the PostgreSQL JDBC URL of the job database several nodes share, or null for SQLite in
 *                          {@code dataDir}
 * @param nodeId            the name this node holds its jobs' leases under; null becomes one made for this host
 * @param blobStore         the bucket originals and thumbnails are kept in, or null for {@code blobs/} in
 *                          {@code dataDir}
 * @param maxQueuedPerOwner one owner's share of the queue; null becomes a quarter of its capacity (at least 1)
 * @param ttl               how long finished jobs are kept, or null for ever
 * @param publishers        where jobs may ask for their thumbnails to be published: those registered, and once
 *                          constructed Imgur's too when {@code imgurClientId} is set
 * @param webhookSecret     the key webhooks are signed with, or null for one the service makes once and keeps
 * @param hooks             what tests and benchmarks change
 */
public record ServiceSettings(Path dataDir, String database, String nodeId, S3Location blobStore, int workers,
                              int workerNice, Limits limits, int queueCapacity, Integer maxQueuedPerOwner,
                              int maxAttempts, Duration retryBackoff, Duration lease, Duration heartbeat, Duration ttl,
                              boolean acceptEmptyDatabase, Duration quarantineGrace, Duration janitorInterval,
                              Duration priorityAging, Duration shutdownTimeout, Duration jobTimeout, Clock clock,
                              boolean allowPrivateSources, Set<String> sourceAllowlist, Duration fetchConnectTimeout,
                              Duration fetchTotalTimeout, List<Publisher> publishers, String imgurClientId,
                              URI imgurBaseUrl, String webhookSecret, Duration webhookMaxAge, WebhookBody webhookBody,
                              ServiceHooks hooks) {
    /** {@link ServiceDefaults#MAX_DURATION} as refusals name it. */
    private static final String MAX_DAYS = ServiceDefaults.MAX_DURATION.toDays() + " days";

    public ServiceSettings {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        if (database != null) {
            PostgresDatabase.checkUrl(database);
        }
        nodeId = nodeId == null ? NodeIds.generate() : NodeIds.check(nodeId);
        between("workers", workers, 1, ServiceDefaults.MAX_WORKERS);
        between("workerNice", workerNice, 0, ServiceDefaults.MAX_WORKER_NICE);
        Objects.requireNonNull(limits, "limits must not be null");
        between("queueCapacity", queueCapacity, 1, Integer.MAX_VALUE);
        if (maxQueuedPerOwner == null) {
            maxQueuedPerOwner = ServiceDefaults.maxQueuedPerOwner(queueCapacity);
        }
        between("maxQueuedPerOwner", maxQueuedPerOwner, 1, Integer.MAX_VALUE);
        if (maxQueuedPerOwner > queueCapacity) {
            throw new IllegalArgumentException("maxQueuedPerOwner must not be more than queueCapacity"
                    + " (maxQueuedPerOwner " + maxQueuedPerOwner + ", queueCapacity " + queueCapacity + ")");
        }
        between("maxAttempts", maxAttempts, 1, ServiceDefaults.MAX_MAX_ATTEMPTS);
        positive("retryBackoff", retryBackoff);
        positive("lease", lease);
        positive("heartbeat", heartbeat);
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("heartbeat must be shorter than lease (heartbeat " + heartbeat
                    + ", lease " + lease + ")");
        }
        if (ttl != null) {
            positive("ttl", ttl);
        }
        positive("quarantineGrace", quarantineGrace);
        positive("janitorInterval", janitorInterval);
        positive("priorityAging", priorityAging);
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout must not be null");
        if (shutdownTimeout.isNegative() || shutdownTimeout.compareTo(ServiceDefaults.MAX_DURATION) > 0) {
            throw new IllegalArgumentException("shutdownTimeout must be between zero and " + MAX_DAYS + " (was "
                    + shutdownTimeout + ")");
        }
        positive("jobTimeout", jobTimeout);
        Objects.requireNonNull(clock, "clock must not be null");
        sourceAllowlist = named("sourceAllowlist", sourceAllowlist, hosts -> new SourcePolicy(false,
                Objects.requireNonNull(hosts, "sourceAllowlist must not be null")).hostAllowlist());
        Objects.requireNonNull(fetchConnectTimeout, "fetchTimeouts: connect must not be null");
        Objects.requireNonNull(fetchTotalTimeout, "fetchTimeouts: total must not be null");
        named("fetchTimeouts", fetchConnectTimeout, connect -> FetchSettings.defaults().withTimeouts(connect,
                fetchTotalTimeout));
        atMostMax("fetchTimeouts", fetchTotalTimeout);
        Objects.requireNonNull(imgurBaseUrl, "imgurBaseUrl must not be null");
        publishers = withImgur(publishers, imgurClientId, named("imgurBaseUrl", imgurBaseUrl,
                ImgurSettings::checkBaseUrl), clock);
        named("webhookSecret", webhookSecret, WebhookSettings.defaults()::withSecret);
        positive("webhookMaxAge", webhookMaxAge);
        Objects.requireNonNull(webhookBody, "webhookBody must not be null");
        Objects.requireNonNull(hooks, "hooks must not be null");
    }

    /** The queue capacity and each owner's share of it. */
    public JobStore.QueueLimits queue() {
        return new JobStore.QueueLimits(queueCapacity, maxQueuedPerOwner);
    }

    /** What URL sources may reach. */
    public SourcePolicy sourcePolicy() {
        return new SourcePolicy(allowPrivateSources, sourceAllowlist);
    }

    /** The limits of one URL fetch: its timeouts, and the input limit on its body. */
    public FetchSettings fetch() {
        return FetchSettings.defaults().withTimeouts(fetchConnectTimeout, fetchTotalTimeout)
                .withMaxBytes(limits.maxInputBytes());
    }

    /** How callbacks are signed, rendered and retried. */
    public WebhookSettings webhooks() {
        return WebhookSettings.defaults().withSecret(webhookSecret).withMaxAge(webhookMaxAge).withBody(webhookBody);
    }

    /** {@code registered}, checked, and Imgur's publisher once a client id is set. */
    private static List<Publisher> withImgur(List<Publisher> registered, String imgurClientId, URI imgurBaseUrl,
                                             Clock clock) {
        List<Publisher> all = new ArrayList<>(Objects.requireNonNull(registered, "publishers must not be null"));
        all.forEach(publisher -> Objects.requireNonNull(publisher, "publisher must not be null"));
        if (imgurClientId != null) {
            ImgurSettings imgur = named("imgurClientId", imgurClientId, ImgurSettings::of).withBaseUrl(imgurBaseUrl);
            all.add(new ImgurPublisher(imgur, clock, Sleeper.system()));
        }
        Publishers.check(all);
        return List.copyOf(all);
    }

    /** {@code value}, refused unless it is more than zero and at most {@link ServiceDefaults#MAX_DURATION}. */
    static Duration positive(String option, Duration value) {
        Objects.requireNonNull(value, option + " must not be null");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(option + " must be positive, at most " + MAX_DAYS + " (was " + value
                    + ")");
        }
        return atMostMax(option, value);
    }

    private static Duration atMostMax(String option, Duration value) {
        if (value.compareTo(ServiceDefaults.MAX_DURATION) > 0) {
            throw new IllegalArgumentException(option + " must be at most " + MAX_DAYS + " (was " + value + ")");
        }
        return value;
    }

    private static void between(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + (max == Integer.MAX_VALUE ? " must be at least " + min
                    : " must be between " + min + " and " + max) + " (was " + value + ")");
        }
    }

    /** What {@code check} makes of {@code value}; its refusal is prefixed with the option's name. */
    private static <T, R> R named(String option, T value, Function<T, R> check) {
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
