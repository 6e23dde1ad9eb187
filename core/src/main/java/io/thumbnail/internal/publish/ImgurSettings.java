package io.thumbnail.internal.publish;

import io.thumbnail.ServiceDefaults;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach Imgur.
 *
 * @param clientId       the application's Client-ID (anonymous uploads)
 * @param baseUrl        the API root, {@code https://api.imgur.com} by default; a local stand-in in tests
 * @param requestTimeout longest wait for one upload request (default 30 s)
 * @param maxAttempts    attempts per upload, retries on 429, 5xx and connection failures included (default 3)
 * @param maxWait        longest single wait between attempts; a rate limit that resets later fails the publish
 *                       instead of holding a worker (default 60 s)
 */
public record ImgurSettings(String clientId, URI baseUrl, Duration requestTimeout, int maxAttempts, Duration maxWait) {
    public static final URI DEFAULT_BASE_URL = ServiceDefaults.IMGUR_BASE_URL;

    public ImgurSettings {
        if (clientId == null || clientId.isBlank() || clientId.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("clientId must be a non-blank Imgur Client-ID without spaces");
        }
        checkBaseUrl(baseUrl);
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive (was " + requestTimeout + ")");
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 10 (was " + maxAttempts + ")");
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be zero or positive (was " + maxWait + ")");
        }
    }

    /** Returns {@code baseUrl} if it is an http(s) URL with a host; throws naming the field otherwise. */
    public static URI checkBaseUrl(URI baseUrl) {
        if (baseUrl == null || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL such as https://api.imgur.com (was "
                    + baseUrl + ")");
        }
        return baseUrl;
    }

    public static ImgurSettings of(String clientId) {
        return new ImgurSettings(clientId, DEFAULT_BASE_URL, Duration.ofSeconds(30), 3, Duration.ofSeconds(60));
    }

    public ImgurSettings withBaseUrl(URI value) {
        return new ImgurSettings(clientId, value, requestTimeout, maxAttempts, maxWait);
    }
}
