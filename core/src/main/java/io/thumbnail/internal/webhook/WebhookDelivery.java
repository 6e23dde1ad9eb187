package io.thumbnail.internal.webhook;

import io.thumbnail.Batch;
import io.thumbnail.Callback;
import io.thumbnail.Job;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.worker.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One try at a job's or a batch's webhook, its outcome recorded on the row before anything else happens: delivered,
 * failed for good (a 4xx other than 429, a refused address, or no success within {@link WebhookSettings#maxAge()} of
 * the finish), or pending with one more attempt counted and the wait before the next.
 *
 * <p>{@code X-Thumbnail-Delivery} is derived from the event and the job's (batch's) id, so every try of one delivery
 * carries the same id and a receiver can drop a repeat (one whose 2xx was lost on the way back).
 */
final class WebhookDelivery {
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

    /** A delivery about to be tried: its event, its callback, when its subject finished, and its body. */
    private record Due(String event, Callback callback, Instant finishedAt, Supplier<byte[]> body) {
    }

    private final JobStore store;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final WebhookSecret secretFile;
    private String secret;

    WebhookDelivery(JobStore store, WebhookSender sender, WebhookSettings settings, Clock clock,
                    WebhookSecret secretFile) {
        this.store = store;
        this.sender = sender;
        this.settings = settings;
        this.clock = clock;
        this.backoff = new Backoff(settings.firstRetry(), settings.maxRetry());
        this.secretFile = secretFile;
    }

    /** Makes one try if the delivery is due; returns when to try again, or null. */
    Duration attempt(CallbackSubject subject) {
        Due due = subject.isBatch() ? store.batch(subject.id()).filter(Batch::isFinished).map(this::due).orElse(null)
                : store.get(subject.id()).filter(job -> job.status().isFinished()).map(this::due).orElse(null);
        if (due == null || due.callback() == null || !due.callback().isPending()) {
            return null;
        }
        String what = (subject.isBatch() ? "batch " : "job ") + subject.id();
        WebhookSender.Outcome outcome;
        try {
            UUID delivery = UUID.nameUUIDFromBytes((due.event() + " " + subject.id()).getBytes(StandardCharsets.UTF_8));
            outcome = sender.send(due.callback().url(), due.event(), delivery, due.body().get(), secret());
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("{}: the webhook body could not be rendered", what, e);
            outcome = WebhookSender.Outcome.refused("the body could not be rendered; it has been logged");
        }
        Callback callback = due.callback();
        switch (outcome.kind()) {
            case DELIVERED -> {
                store.recordCallback(subject, callback.delivered());
                log.info("{}: webhook {} delivered, attempt {}", what, due.event(), callback.attempts() + 1);
                return null;
            }
            case REFUSED -> {
                store.recordCallback(subject, callback.failed(outcome.error()));
                log.info("{}: webhook {} failed: {}", what, due.event(), outcome.error());
                return null;
            }
            case INTERRUPTED -> {
                log.info("{}: webhook {} cut short by the shutdown; it goes on at the next start", what, due.event());
                return null;
            }
            default -> {
                Callback next = callback.retrying(outcome.error());
                Duration wait = outcome.retryAfter() != null ? min(outcome.retryAfter(), settings.maxRetry())
                        : backoff.delayAfter(next.attempts());
                if (clock.instant().plus(wait).isAfter(due.finishedAt().plus(settings.maxAge()))) {
                    store.recordCallback(subject, callback.failed(outcome.error() + "; given up after "
                            + next.attempts() + " attempts"));
                    log.info("{}: webhook {} given up after {} attempts: {}", what, due.event(), next.attempts(),
                            outcome.error());
                    return null;
                }
                store.recordCallback(subject, next);
                log.info("{}: webhook {} failed ({}), attempt {}; trying again in {}", what, due.event(),
                        outcome.error(), next.attempts(), wait);
                return wait;
            }
        }
    }

    private Due due(Job job) {
        Instant finished = job.finishedAt() != null ? job.finishedAt() : clock.instant();
        return new Due("job." + job.status().id(), job.callback(), finished, () -> settings.body().job(job));
    }

    private Due due(Batch batch) {
        Instant finished = batch.items().stream().map(Job::finishedAt).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(batch.createdAt());
        return new Due("batch.done", batch.callback(), finished, () -> settings.body().batch(batch));
    }

    /** The configured secret, or the one kept in the store (made at the first start and written for the operator). */
    synchronized String secret() {
        if (secret == null) {
            secret = settings.secret() != null ? settings.secret()
                    : store.secret(Webhooks.SECRET_NAME, WebhookSignature.newSecret());
            secretFile.keep(settings.secret() == null ? secret : null);
        }
        return secret;
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

}
