package io.thumbnail.server;

import io.thumbnail.Limits;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailServiceBuilder;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.server.internal.http.Presets;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How the server runs. Every option is a flag ({@code --port 8080} or {@code --port=8080}) and an environment
 * variable with the matching name ({@code THUMBNAIL_PORT}); a flag wins over the variable, the variable over the
 * default. Values are validated while parsing, and a bad one fails with a message naming the flag and what it allows.
 *
 * <p>The options are declared once, in {@link ServerOptions} (name, default, allowed values, meaning). This parsing
 * and {@link #usage() --help} read that declaration; README's configuration table is a copy of it, which
 * {@code ConfigurationTableTest} holds to it row for row, printing the rows it expects when one differs.
 *
 * @param database     the PostgreSQL JDBC URL of the job database this node shares, or null for SQLite in
 *                     {@code dataDir}
 * @param nodeId       this node's name, or null for the host's name and a random suffix
 * @param blobStore    the bucket originals and thumbnails are kept in ({@code s3://...}), or null for {@code blobs/}
 *                     in the data directory
 * @param workerNice   the nice value worker and finisher threads give themselves (Linux), 0 to leave them as they are
 * @param defaultBox   the box a request that names neither width nor height gets (contain unless it asks otherwise)
 * @param ttl          how long finished jobs are kept, or null to keep them forever
 * @param jobTimeout   how long one job may run before it fails with {@code timeout}
 * @param lease        how long a running job stays this node's without a heartbeat; heartbeats come every third of it
 * @param maxQueuedPerKey the most jobs one API key may have queued (its share of {@code queueCapacity})
 * @param acceptEmptyDatabase start even when the job database is missing or empty while {@code blobs/} holds images
 * @param priorityAging how long a low-priority job waits before it is served as a normal one
 * @param minFreeBytes below this much free space in the data directory {@code /health} reports the disk as down
 * @param maxUrlsPerRequest   most URLs one JSON request may name
 * @param allowPrivateSources let URL sources reach loopback, private and other internal addresses
 * @param sourceAllowlist     when not empty, the only hosts URL sources may name
 * @param imgurClientId       Imgur Client-ID enabling {@code publish=imgur}, or null
 * @param imgurBaseUrl        Imgur's API root
 * @param security            API keys, rate limits and request limits
 * @param presets             the named options requests may ask for with {@code preset=NAME}
 * @param webhooks            how webhooks are signed and how long they are retried
 */
public record ServerConfig(String host, int port, Path dataDir, String database, String nodeId, String blobStore,
                           int workers, int workerNice, long maxUploadBytes, long maxPixels,
                           int maxOutputSide, ThumbnailSpec defaultBox, Duration ttl, Duration jobTimeout, Duration lease,
                           int queueCapacity,
                           int maxQueuedPerKey, boolean acceptEmptyDatabase, int maxAttempts, Duration priorityAging,
                           long minFreeBytes,
                           int maxUrlsPerRequest, boolean allowPrivateSources, Set<String> sourceAllowlist,
                           String imgurClientId, URI imgurBaseUrl, SecurityConfig security, Presets presets,
                           WebhookConfig webhooks) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(defaultBox, "defaultBox");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(presets, "presets");
        Objects.requireNonNull(webhooks, "webhooks");
        if (security.maxInflightBytes() < maxUploadBytes) {
            throw new IllegalArgumentException("--max-inflight-bytes (" + security.maxInflightBytes() + ") must be at"
                    + " least --max-upload-bytes (" + maxUploadBytes + "), or the largest upload could never be taken");
        }
    }

    /** Every option at its default. */
    public static ServerConfig defaults() {
        return parse(List.of(), Map.of());
    }

    /**
     * Reads flags over environment variables over defaults.
     *
     * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
     */
    public static ServerConfig parse(List<String> args, Map<String, String> env) {
        OptionValues values = OptionValues.read(ServerOptions.ALL, args, env);
        try {
            return of(values);
        } catch (IllegalArgumentException e) {
            throw values.namingTheVariable(e);
        }
    }

    private static ServerConfig of(OptionValues values) {
        int maxOutputSide = values.integer(ServerOptions.MAX_OUTPUT_SIDE);
        int queueCapacity = values.integer(ServerOptions.QUEUE_CAPACITY);
        return new ServerConfig(
                values.text(ServerOptions.HOST),
                values.integer(ServerOptions.PORT),
                Path.of(values.text(ServerOptions.DATA_DIR)),
                library(ServerOptions.DATABASE, "database", values.textOrNull(ServerOptions.DATABASE),
                        ThumbnailService.builder()::database),
                library(ServerOptions.NODE_ID, "nodeId", values.textOrNull(ServerOptions.NODE_ID),
                        ThumbnailService.builder()::nodeId),
                library(ServerOptions.BLOB_STORE, "blobStore", values.textOrNull(ServerOptions.BLOB_STORE),
                        ThumbnailService.builder()::blobStore),
                values.integer(ServerOptions.WORKERS),
                values.integer(ServerOptions.WORKER_NICE),
                values.bytes(ServerOptions.MAX_UPLOAD_BYTES),
                values.number(ServerOptions.MAX_PIXELS),
                maxOutputSide,
                values.box(ServerOptions.DEFAULT_SIZE, maxOutputSide),
                values.duration(ServerOptions.TTL),
                values.duration(ServerOptions.JOB_TIMEOUT),
                values.duration(ServerOptions.LEASE),
                queueCapacity,
                values.share(ServerOptions.MAX_QUEUED_PER_KEY, queueCapacity),
                values.bool(ServerOptions.ACCEPT_EMPTY_DATABASE),
                values.integer(ServerOptions.MAX_ATTEMPTS),
                values.duration(ServerOptions.PRIORITY_AGING),
                values.bytes(ServerOptions.MIN_FREE_BYTES),
                values.integer(ServerOptions.MAX_URLS),
                values.bool(ServerOptions.ALLOW_PRIVATE_SOURCES),
                values.hosts(ServerOptions.SOURCE_ALLOWLIST),
                values.textOrNull(ServerOptions.IMGUR_CLIENT_ID),
                values.url(ServerOptions.IMGUR_BASE_URL),
                SecurityConfig.from(values),
                Presets.parse(values.raw(ServerOptions.PRESET), maxOutputSide, "--" + ServerOptions.PRESET.name()),

                WebhookConfig.from(values));
    }

    /**
     * {@code value}, once the library's builder has accepted it for {@code builderOption}; its refusal names the flag.
     */
    private static String library(ServerOption option, String builderOption, String value,
                                  Function<String, ThumbnailServiceBuilder> builder) {
        if (value != null) {
            try {
                builder.apply(value);
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                throw new IllegalArgumentException("--" + option.name()
                        + (message.startsWith(builderOption + " ") ? message.substring(builderOption.length())
                        : ": " + message));
            }
        }
        return value;
    }

    /** The {@code --help} text: every option with its environment variable, default, allowed values and meaning. */
    public static String usage() {
        return OptionsHelp.text(ServerOptions.ALL);
    }

    /** The image limits these options describe. */
    public Limits limits() {
        return new Limits(maxUploadBytes, maxPixels, maxOutputSide);
    }

    /** A service builder with every job-system option of this configuration applied. */
    public ThumbnailServiceBuilder serviceBuilder() {
        return ThumbnailService.builder()
                .dataDir(dataDir)
                .database(database)
                .nodeId(nodeId)
                .blobStore(blobStore)
                .workers(workers)
                .workerNice(workerNice)
                .limits(limits())
                .queueCapacity(queueCapacity)
                .maxQueuedPerOwner(maxQueuedPerKey)
                .acceptEmptyDatabase(acceptEmptyDatabase)
                .maxAttempts(maxAttempts)
                .priorityAging(priorityAging)
                .ttl(ttl)
                .jobTimeout(jobTimeout)
                .lease(lease)
                .heartbeat(lease.dividedBy(3))
                .allowPrivateSources(allowPrivateSources)
                .sourceAllowlist(sourceAllowlist)
                .imgurClientId(imgurClientId)
                .imgurBaseUrl(imgurBaseUrl)
                .webhookSecret(webhooks.secret())
                .webhookMaxAge(webhooks.maxAge())
                .webhookBody(new WebhookBodies())
                // With the HTTP server's own stop, this keeps a SIGTERM shutdown well inside 30 s.
                .shutdownTimeout(Duration.ofSeconds(20));
    }
}
