package io.thumbnail.server;

import io.thumbnail.server.internal.ApiKeys;

import java.time.Duration;
import java.util.Objects;

/**
 * What protects a server exposed to untrusted clients: who may call it, how often, and the limits on a request
 * that Jetty enforces before any handler runs. Part of {@link ServerConfig}; every value comes from a flag.
 *
 * @param apiKeys          the accepted keys; none means the API is open
 * @param metricsKeySha256 the SHA-256 of the key {@code /metrics} takes, or null
 * @param rateLimit        requests per second per key (per address when open), or 0 for no limit
 * @param rateBurst        requests a client may make at once before the rate applies
 * @param maxParts         most parts of a multipart upload
 * @param maxHeaderBytes   largest request line and headers (431 beyond)
 * @param idleTimeout      a connection with nothing sent or received for this long is closed
 * @param headerTimeout    a new connection must have sent its first request's headers within this
 * @param minUploadRate    a request body arriving slower than this many bytes per second is cut off, or 0
 */
public record SecurityConfig(ApiKeys apiKeys, byte[] metricsKeySha256, double rateLimit, int rateBurst, int maxParts,
                             int maxHeaderBytes, Duration idleTimeout, Duration headerTimeout, long minUploadRate) {
    public SecurityConfig {
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        metricsKeySha256 = metricsKeySha256 == null ? null : metricsKeySha256.clone();
    }

    @Override
    public byte[] metricsKeySha256() {
        return metricsKeySha256 == null ? null : metricsKeySha256.clone();
    }
}
