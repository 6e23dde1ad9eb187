package io.thumbnail.server;

import io.thumbnail.server.internal.ApiKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What protects a server exposed to untrusted clients: who may call it, how often, and the limits on a request
 * that Jetty enforces before any handler runs. Part of {@link ServerConfig}; every value comes from a flag.
 *
 * @param apiKeys          the accepted keys; none means the API is open
 * @param metricsKeySha256 the SHA-256 of the key {@code /metrics} takes, or null
 * @param rateLimit        submissions (uploads, URL jobs, batches) per second per key (per address when open), or 0
 *                         for no limit
 * @param rateBurst        submissions a client may make at once before the rate applies
 * @param readRateLimit    other API requests (status, lists, files, deletes) per second per key (per address when
 *                         open), or 0 for no limit
 * @param readRateBurst    other API requests a client may make at once before the read rate applies
 * @param maxAuthFailures  requests with a wrong key one client address may make per minute, or 0 for no limit
 * @param maxWaiting       requests a client may have waiting at once ({@code wait=N}, event streams)
 * @param maxParts         most parts of a multipart upload
 * @param maxHeaderBytes   largest request line and headers (431 beyond)
 * @param idleTimeout      a connection with nothing sent or received for this long is closed
 * @param headerTimeout    a request's headers must have arrived within this, counted from the connection's opening
 *                         or from the first byte of a later request on it
 * @param minUploadRate    a request body arriving slower than this many bytes per second is cut off, or 0
 * @param bodyTimeout      a request body must have arrived whole within this
 * @param maxConnectionsPerAddress connections one client address may hold open at once
 * @param maxUploads       uploads (requests with a body) the server receives and submits at once
 * @param maxUploadsPerClient uploads one client address, and one API key, may have in flight at once
 * @param maxInflightBytes body bytes all uploads in flight may hold at once, counted as declared or as received
 */
public record SecurityConfig(ApiKeys apiKeys, byte[] metricsKeySha256, double rateLimit, int rateBurst,
                             double readRateLimit, int readRateBurst, int maxAuthFailures, int maxWaiting,
                             int maxParts, int maxHeaderBytes, Duration idleTimeout, Duration headerTimeout,
                             long minUploadRate, Duration bodyTimeout, int maxConnectionsPerAddress, int maxUploads,
                             int maxUploadsPerClient, long maxInflightBytes) {
    public SecurityConfig {
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        metricsKeySha256 = metricsKeySha256 == null ? null : metricsKeySha256.clone();
    }

    @Override
    public byte[] metricsKeySha256() {
        return metricsKeySha256 == null ? null : metricsKeySha256.clone();
    }

    /** Reads the security options from {@link ServerConfig}'s option values. */
    static SecurityConfig from(Map<String, String> values) {
        ApiKeys keys = ApiKeys.none();
        String file = values.get("api-keys-file").trim();
        if (!file.isEmpty()) {
            try {
                keys = ApiKeys.parse(Files.readString(Path.of(file)), "--api-keys-file " + file);
            } catch (IOException | InvalidPathException e) {
                throw new IllegalArgumentException("--api-keys-file: cannot read '" + file + "' (" + e + ")");
            }
        }
        keys = keys.and(ApiKeys.parseList(values.get("api-keys"), "--api-keys"));
        String metricsKey = values.get("metrics-key-sha256").trim();
        return new SecurityConfig(keys,
                metricsKey.isEmpty() ? null : ApiKeys.parseHash(metricsKey, "--metrics-key-sha256"),
                rate(values, "rate-limit"),
                (int) ServerConfig.number(values, "rate-burst", 1, 1_000_000),
                rate(values, "read-rate-limit"),
                (int) ServerConfig.number(values, "read-rate-burst", 1, 1_000_000),
                values.get("max-auth-failures").trim().equalsIgnoreCase("off") ? 0
                        : (int) ServerConfig.number(values, "max-auth-failures", 1, 1_000_000),
                (int) ServerConfig.number(values, "max-waiting", 1, 10_000),
                (int) ServerConfig.number(values, "max-parts", 1, 100_000),
                (int) Math.min(ServerConfig.size(values, "max-header-bytes"), Integer.MAX_VALUE),
                required(ServerConfig.duration(values, "idle-timeout"), "idle-timeout"),
                required(ServerConfig.duration(values, "header-timeout"), "header-timeout"),
                values.get("min-upload-rate").trim().equalsIgnoreCase("off") ? 0
                        : ServerConfig.size(values, "min-upload-rate"),
                required(ServerConfig.duration(values, "body-timeout"), "body-timeout"),
                (int) ServerConfig.number(values, "max-connections-per-address", 1, 1_000_000),
                (int) ServerConfig.number(values, "max-uploads", 1, 1_000_000),
                (int) ServerConfig.number(values, "max-uploads-per-client", 1, 1_000_000),
                ServerConfig.size(values, "max-inflight-bytes"));
    }

    private static double rate(Map<String, String> values, String name) {
        String value = values.get(name).trim();
        if (value.equalsIgnoreCase("off")) {
            return 0;
        }
        try {
            double rate = Double.parseDouble(value);
            if (rate > 0 && rate <= 1_000_000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be requests per second between 0 and 1000000,"
                + " such as 50 or 0.5, or off (was '" + value + "')");
    }

    private static Duration required(Duration value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " cannot be off");
        }
        return value;
    }
}
