package io.thumbnail.internal.webhook;

import io.thumbnail.WebhookBody;

import java.time.Duration;
import java.util.Objects;

/**
 * How webhooks are delivered.
 *
 * @param secret         the HMAC-SHA256 key deliveries are signed with, or null for one the service makes once and
 *                       keeps in its job store
 * @param maxAge         how long after the job (or batch) finished a failing delivery is still tried again
 * @param requestTimeout how long one try may take, connecting and answering
 * @param firstRetry     the wait before the second try; each later one waits twice as long, up to {@code maxRetry}
 * @param maxRetry       the longest wait between tries, a receiver's {@code Retry-After} included
 * @param body           renders what is POSTed
 */
public record WebhookSettings(String secret, Duration maxAge, Duration requestTimeout, Duration firstRetry,
                              Duration maxRetry, WebhookBody body) {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_RETRY = Duration.ofHours(1);
    /** A key shorter than this is too easy to guess; HMAC-SHA256's own block is 64 bytes. */
    public static final int MIN_SECRET_CHARS = 16;

    public WebhookSettings {
        if (secret != null && secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException("the webhook secret must be at least " + MIN_SECRET_CHARS
                    + " characters long (was " + secret.length() + ")");
        }
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(body, "body");
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(null, DEFAULT_MAX_AGE, DEFAULT_REQUEST_TIMEOUT, DEFAULT_FIRST_RETRY,
                DEFAULT_MAX_RETRY, WebhookBody.minimal());
    }

    public WebhookSettings withSecret(String value) {
        return new WebhookSettings(value, maxAge, requestTimeout, firstRetry, maxRetry, body);
    }

    public WebhookSettings withMaxAge(Duration value) {
        return new WebhookSettings(secret, value, requestTimeout, firstRetry, maxRetry, body);
    }

    public WebhookSettings withBody(WebhookBody value) {
        return new WebhookSettings(secret, maxAge, requestTimeout, firstRetry, maxRetry, value);
    }
}
