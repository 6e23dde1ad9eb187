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
 * One try at a job's or a batch's webhook, claimed in the store first ({@link io.thumbnail.internal.store.CallbackStore#claim}) so that of the
 * nodes sharing it one alone makes it, its outcome recorded on the row before anything else happens: delivered,
 * failed for good (a 4xx other than 429, a refused address, or no success within {@link WebhookSettings#maxAge()} of
 * the finish), or pending with one more attempt counted and the time of the next.
 *
 * <p>{@code X-Thumbnail-Delivery} is derived from the event and the job's (batch's) id, so every try of one delivery
 * carries the same id and a receiver can drop a repeat (one whose 2xx was lost on the way back).
 */
final class WebhookDelivery {
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    /**
     * How much longer than one request's timeout a claim lasts: time to render the body and record the outcome. A
     * node that dies mid-try holds the delivery this long, then any node may try it again.
     */
    static final Duration CLAIM_MARGIN = Duration.ofMinutes(1);

    /** A delivery about to be tried: its event, its callback, when its subject finished, and its body. */
    private record Due(String event, Callback callback, Instant finishedAt, Supplier<byte[]> body) {
    }

    private final JobStore store;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final WebhookSecret secret;

    WebhookDelivery(JobStore store, WebhookSender sender, WebhookSettings settings, Clock clock,
                    WebhookSecret secret) {
        this.store = store;
        this.sender = sender;
        this.settings = settings;
        this.clock = clock;
        this.backoff = new Backoff(settings.firstRetry(), settings.maxRetry());
        this.secret = secret;
    }

    /**
     * Makes one try if the delivery is due and this node claims it; returns when to try again, or null (delivered,
     * given up, not due, or another node's to make).
     */
    Duration attempt(CallbackSubject subject) {
        if (due(subject) == null) {
            return null;
        }
        if (!store.callbacks().claim(subject, clock.instant(), settings.requestTimeout().plus(CLAIM_MARGIN))) {
            // Another node is trying it, or its next try is later: that node goes on, or a later look finds it due.
            return null;
        }
        // Read again as of the claim: another node's try may have ended since the first read.
        Due due = due(subject);
        if (due == null) {
            return null;
        }
        String what = (subject.isBatch() ? "batch " : "job ") + subject.id();
        WebhookSender.Outcome outcome;
        try {
            UUID delivery = UUID.nameUUIDFromBytes((due.event() + " " + subject.id()).getBytes(StandardCharsets.UTF_8));
            outcome = sender.send(due.callback().url(), due.event(), delivery, due.body().get(), secret.value());
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("{}: the webhook body could not be rendered", what, e);
            outcome = WebhookSender.Outcome.refused("the body could not be rendered; it has been logged");
        }
        Callback callback = due.callback();
        switch (outcome.kind()) {
            case DELIVERED -> {
                store.callbacks().record(subject, callback.delivered(), clock.instant(), null);
                log.info("{}: webhook {} delivered, attempt {}", what, due.event(), callback.attempts() + 1);
                return null;
            }
            case REFUSED -> {
                store.callbacks().record(subject, callback.failed(outcome.error()), clock.instant(), null);
                log.info("{}: webhook {} failed: {}", what, due.event(), outcome.error());
                return null;
            }
            case INTERRUPTED -> {
                // The claim let go: the next start tries at once.
                store.callbacks().record(subject, callback, clock.instant(), null);
                log.info("{}: webhook {} cut short by the shutdown; it goes on at the next start", what, due.event());
                return null;
            }
            default -> {
                Callback next = callback.retrying(outcome.error());
                // A Retry-After lengthens the wait, never shortens it: one of 0, or a date gone by, would have
                // the receiver asked again at once, over and over, for the whole of the webhook's max age.
                Duration backedOff = backoff.delayAfter(next.attempts());
                Duration wait = outcome.retryAfter() == null ? backedOff
                        : max(min(outcome.retryAfter(), settings.maxRetry()), backedOff);
                Instant now = clock.instant();
                if (now.plus(wait).isAfter(due.finishedAt().plus(settings.maxAge()))) {
                    store.callbacks().record(subject, callback.failed(outcome.error() + "; given up after "
                            + next.attempts() + " attempts"), now, null);
                    log.info("{}: webhook {} given up after {} attempts: {}", what, due.event(), next.attempts(),
                            outcome.error());
                    return null;
                }
                store.callbacks().record(subject, next, now, wait);
                log.info("{}: webhook {} failed ({}), attempt {}; trying again in {}", what, due.event(),
                        outcome.error(), next.attempts(), wait);
                return wait;
            }
        }
    }

    /** The subject's delivery if it is finished and its callback pending; null otherwise. */
    private Due due(CallbackSubject subject) {
        Due due = subject.isBatch() ? store.batch(subject.id()).filter(Batch::isFinished).map(this::due).orElse(null)
                : store.get(subject.id()).filter(job -> job.status().isFinished()).map(this::due).orElse(null);
        return due == null || due.callback() == null || !due.callback().isPending() ? null : due;
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

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

}
