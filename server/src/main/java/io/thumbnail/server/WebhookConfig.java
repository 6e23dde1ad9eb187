package io.thumbnail.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server's webhooks are signed and how long they are retried. Part of {@link ServerConfig}.
 *
 * @param secret the HMAC-SHA256 key deliveries are signed with, or null for one derived from the secret the job
 *               database keeps
 * @param maxAge how long after a job finished its webhook is still tried again
 */
public record WebhookConfig(String secret, Duration maxAge) {
    static final int MIN_SECRET_CHARS = 16;

    public WebhookConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        if (secret != null && secret.length() < MIN_SECRET_CHARS) {
            // The secret itself never goes into a message or a log line.
            throw new IllegalArgumentException("--webhook-secret must be at least " + MIN_SECRET_CHARS
                    + " characters long (was " + secret.length() + ")");
        }
    }

    static WebhookConfig from(OptionValues values) {
        return new WebhookConfig(values.textOrNull(ServerOptions.WEBHOOK_SECRET),
                values.duration(ServerOptions.WEBHOOK_MAX_AGE));
    }

    /** Says whether a secret is set, never what it is. */
    @Override
    public String toString() {
        return "WebhookConfig[secret=" + (secret == null ? "derived" : "set") + ", maxAge=" + maxAge + "]";
    }
}
