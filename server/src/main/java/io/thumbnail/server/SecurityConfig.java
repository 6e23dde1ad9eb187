package io.thumbnail.server;

import io.thumbnail.server.internal.security.ApiKeys;
import io.thumbnail.server.internal.security.UrlSigner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What protects a server exposed to untrusted clients: who may call it, how often, and the limits on a request
 * that Jetty enforces before any handler runs. Part of {@link ServerConfig}; every value comes from an option of
 * {@link ServerOptions}.
 *
 * @param apiKeys          the accepted keys; none means the API is open
 * @param metricsKeySha256 the SHA-256 of the key {@code /metrics} takes, or null
 * @param urlSigningKey    the key signed URLs are made with, at least {@value UrlSigner#MIN_KEY_BYTES} bytes, or null
 *                         for the key the service derives from its own secret
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
public record SecurityConfig(ApiKeys apiKeys, byte[] metricsKeySha256, byte[] urlSigningKey, double rateLimit,
                             int rateBurst, double readRateLimit, int readRateBurst, int maxAuthFailures, int maxWaiting,
                             int maxParts, int maxHeaderBytes, Duration idleTimeout, Duration headerTimeout,
                             long minUploadRate, Duration bodyTimeout, int maxConnectionsPerAddress, int maxUploads,
                             int maxUploadsPerClient, long maxInflightBytes) {
    public SecurityConfig {
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        metricsKeySha256 = metricsKeySha256 == null ? null : metricsKeySha256.clone();
        if (urlSigningKey != null && urlSigningKey.length < UrlSigner.MIN_KEY_BYTES) {
            throw new IllegalArgumentException("--url-signing-key must be at least " + UrlSigner.MIN_KEY_BYTES
                    + " bytes (was " + urlSigningKey.length + "); `openssl rand -hex 32` makes one");
        }
        urlSigningKey = urlSigningKey == null ? null : urlSigningKey.clone();
    }

    @Override
    public byte[] urlSigningKey() {
        return urlSigningKey == null ? null : urlSigningKey.clone();
    }

    @Override
    public byte[] metricsKeySha256() {
        return metricsKeySha256 == null ? null : metricsKeySha256.clone();
    }

    /** Reads the security options from {@link ServerOptions}' values. */
    static SecurityConfig from(OptionValues values) {
        ApiKeys keys = ApiKeys.none();
        String open = "the API is open to anyone who can reach the port";
        String file = values.rawNotGivenEmpty(ServerOptions.API_KEYS_FILE, open);
        if (!file.isEmpty()) {
            try {
                keys = ApiKeys.parse(Files.readString(Path.of(file)), "--api-keys-file " + file);
            } catch (IOException e) {
                throw new IllegalArgumentException("--api-keys-file: cannot read '" + file + "' ("
                        + FileFailures.reason(e) + ")");
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("--api-keys-file: '" + file + "' is no path (" + e.getReason() + ")");
            }
            if (keys.isEmpty()) {
                // A file emptied or cut short by a bad deploy must not open the API to anyone who can reach it.
                throw new IllegalArgumentException("--api-keys-file " + file + " holds no keys (one name:sha256-of-key"
                        + " a line); without the flag the server runs open");
            }
        }
        ApiKeys listed = ApiKeys.parseList(values.rawNotGivenEmpty(ServerOptions.API_KEYS, open), "--api-keys");
        if (listed.isEmpty() && values.given(ServerOptions.API_KEYS)) {
            throw new IllegalArgumentException("--api-keys holds no keys (name:sha256-of-key entries separated by"
                    + " commas); without it " + open + ", so leave it out for that");
        }
        keys = keys.and(listed);
        String metricsKey = values.rawNotGivenEmpty(ServerOptions.METRICS_KEY_SHA256,
                "/metrics takes the API's keys, or none if it has none");
        String signingKey = values.raw(ServerOptions.URL_SIGNING_KEY);
        return new SecurityConfig(keys,
                metricsKey.isEmpty() ? null : ApiKeys.parseHash(metricsKey, "--metrics-key-sha256"),
                signingKey.isEmpty() ? null : signingKey.getBytes(StandardCharsets.UTF_8),
                values.rate(ServerOptions.RATE_LIMIT),
                values.integer(ServerOptions.RATE_BURST),
                values.rate(ServerOptions.READ_RATE_LIMIT),
                values.integer(ServerOptions.READ_RATE_BURST),
                values.integer(ServerOptions.MAX_AUTH_FAILURES),
                values.integer(ServerOptions.MAX_WAITING),
                values.integer(ServerOptions.MAX_PARTS),
                (int) Math.min(values.bytes(ServerOptions.MAX_HEADER_BYTES), Integer.MAX_VALUE),
                values.duration(ServerOptions.IDLE_TIMEOUT),
                values.duration(ServerOptions.HEADER_TIMEOUT),
                values.bytes(ServerOptions.MIN_UPLOAD_RATE),
                values.duration(ServerOptions.BODY_TIMEOUT),
                values.integer(ServerOptions.MAX_CONNECTIONS_PER_ADDRESS),
                values.integer(ServerOptions.MAX_UPLOADS),
                values.integer(ServerOptions.MAX_UPLOADS_PER_CLIENT),
                values.bytes(ServerOptions.MAX_INFLIGHT_BYTES));
    }
}
