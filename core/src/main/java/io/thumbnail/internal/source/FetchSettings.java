package io.thumbnail.internal.source;

import io.thumbnail.Limits;

import java.time.Duration;

/**
 * Limits for one URL fetch.
 *
 * @param connectTimeout longest wait for a TCP (and TLS) connection to open (default 5 s)
 * @param totalTimeout   longest time for the whole fetch, redirects and body included (default 30 s)
 * @param maxBytes       largest body accepted; reading stops as soon as it is passed (default {@link Limits#DEFAULT_MAX_INPUT_BYTES})
 * @param maxRedirects   redirects followed before giving up, each checked by the guard (default 5)
 */
public record FetchSettings(Duration connectTimeout, Duration totalTimeout, long maxBytes, int maxRedirects) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_REDIRECTS = 5;

    public FetchSettings {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive (was " + connectTimeout + ")");
        }
        if (totalTimeout == null || totalTimeout.compareTo(connectTimeout) < 0) {
            throw new IllegalArgumentException("the total timeout must be at least the connect timeout (was "
                    + totalTimeout + " against " + connectTimeout + ")");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1 (was " + maxBytes + ")");
        }
        if (maxRedirects < 0 || maxRedirects > 20) {
            throw new IllegalArgumentException("maxRedirects must be between 0 and 20 (was " + maxRedirects + ")");
        }
    }

    public static FetchSettings defaults() {
        return new FetchSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, Limits.DEFAULT_MAX_INPUT_BYTES,
                DEFAULT_MAX_REDIRECTS);
    }

    public FetchSettings withTimeouts(Duration connect, Duration total) {
        return new FetchSettings(connect, total, maxBytes, maxRedirects);
    }

    public FetchSettings withMaxBytes(long value) {
        return new FetchSettings(connectTimeout, totalTimeout, value, maxRedirects);
    }
}
