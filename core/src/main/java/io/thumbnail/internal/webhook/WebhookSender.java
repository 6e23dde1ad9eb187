package io.thumbnail.internal.webhook;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.source.CheckedUrl;
import io.thumbnail.internal.source.PinnedAddresses;
import io.thumbnail.internal.source.SourceGuard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one try at POSTing a webhook. The URL passes the SSRF guard again at every try (a name's addresses may have
 * changed since the submit) and the connection goes to the address the guard checked; redirects are not followed
 * (a receiver that moved must be submitted its new URL, and a redirect could point inside).
 */
final class WebhookSender {
    private static final String USER_AGENT = "thumbnail-service/0.1 (webhook)";

    /** How one try went. */
    record Outcome(Kind kind, String error, Duration retryAfter) {
        enum Kind { DELIVERED, RETRY, REFUSED, INTERRUPTED }

        static Outcome delivered() {
            return new Outcome(Kind.DELIVERED, null, null);
        }

        static Outcome retry(String error, Duration retryAfter) {
            return new Outcome(Kind.RETRY, error, retryAfter);
        }

        static Outcome refused(String error) {
            return new Outcome(Kind.REFUSED, error, null);
        }
    }

    private final SourceGuard guard;
    private final Duration timeout;
    private final Clock clock;
    private final PinnedAddresses pins = new PinnedAddresses();
    private volatile HttpClient client;

    WebhookSender(SourceGuard guard, Duration timeout, Clock clock) {
        this.guard = guard;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Made at the first delivery: building an HttpClient initialises TLS, which a service without webhooks skips. */
    private HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).proxy(pins).build();
                    client = made;
                }
            }
        }
        return made;
    }

    Outcome send(URI url, String event, UUID delivery, byte[] body, String secret) {
        CheckedUrl checked;
        try {
            checked = guard.check(url);
        } catch (ThumbnailException e) {
            // A name that does not resolve now may resolve later; a refused address stays refused.
            return e.code() == ErrorCode.SOURCE_BLOCKED ? Outcome.refused("refused by the SSRF guard: "
                    + e.getMessage()) : Outcome.retry(e.getMessage(), null);
        }
        HttpRequest request = HttpRequest.newBuilder(checked.uri()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-Thumbnail-Event", event)
                .header("X-Thumbnail-Delivery", delivery.toString())
                .header("X-Thumbnail-Signature", WebhookSignature.of(body, secret))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> response;
        try (PinnedAddresses.Handle pin = pins.pin(checked)) {
            // The request's own timeout ends at the response's headers: a receiver that then holds its body back
            // would hold this thread, one of the few that deliver every webhook, for ever. One deadline covers all.
            CompletableFuture<HttpResponse<Void>> pending = client().sendAsync(request,
                    HttpResponse.BodyHandlers.discarding());
            try {
                response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                pending.cancel(true);
                return noAnswer();
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                return new Outcome(Outcome.Kind.INTERRUPTED, "interrupted", null);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof HttpTimeoutException) {
                    return noAnswer();
                }
                if (cause instanceof java.net.ConnectException) {
                    // Its message is usually empty: the class name would be all a receiver's owner saw.
                    return Outcome.retry("could not connect (refused, or no route to the receiver)", null);
                }
                return Outcome.retry((cause instanceof IOException ? "could not connect: " : "failed: ")
                        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), null);
            }
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Outcome.delivered();
        }
        if (status >= 500) {
            return Outcome.retry("HTTP " + status, null);
        }
        if (status == 429) {
            return Outcome.retry("HTTP 429", retryAfter(response).orElse(null));
        }
        return Outcome.refused("HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)"
                : ""));
    }

    private Outcome noAnswer() {
        return Outcome.retry("no answer within " + timeout.toSeconds() + " s", null);
    }

    /** {@code Retry-After} in seconds or as an HTTP date, if the receiver gave one that makes sense. */
    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.get());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException unparsed) {
                return Optional.empty();
            }
        }
    }
}
