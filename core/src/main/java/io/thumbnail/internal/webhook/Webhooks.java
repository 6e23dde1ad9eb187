package io.thumbnail.internal.webhook;

import io.thumbnail.Callback;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobListener;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.source.SourceGuard;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.worker.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Delivers webhooks on threads of their own, never a worker's. A callback is pending on its job's row (or its batch's)
 * from the submit, so the finish that makes it due commits it too; it is POSTed once the job (the whole batch) is
 * finished, and tried again with exponential backoff while the receiver cannot be reached, times out or answers 5xx
 * or 429, until {@link WebhookSettings#maxAge()} after the finish. Each try's outcome is recorded before the next is
 * scheduled, so one cut short by a crash or a shutdown is found pending and resumed at the next start
 * ({@link #resumePendingSoon}).
 *
 * <p>Several nodes sharing a job store each hear of every finish (their own, and the others' through the store) and
 * each resume every pending delivery at start; a try is claimed in the store before it is made, so one node alone
 * makes it, and one event is delivered once. Every {@link #SWEEP} each node looks again for deliveries come due, so
 * the retries of a node that died are made by the others.
 *
 * <p>Without threads (tests driving the service by hand) deliveries wait until {@link #runDue} runs those whose time
 * has come by the service's clock.
 */
public final class Webhooks implements JobListener {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    /** Deliveries wait on receivers, not the CPU: two threads keep one slow receiver from holding up the rest. */
    static final int THREADS = 2;
    /** How often each node looks for deliveries come due that no one here has scheduled (another node's, say). */
    static final Duration SWEEP = Duration.ofMinutes(1);

    private final JobStore store;
    private final SourceGuard guard;
    private final Clock clock;
    private final WebhookDelivery delivery;
    private final WebhookSecret secret;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<CallbackSubject, Instant> dueByHand = new ConcurrentHashMap<>();
    /** Subjects queued or being tried, each with whether it was asked for again meanwhile. Guarded by {@code this}. */
    private final Map<CallbackSubject, Boolean> asked = new HashMap<>();
    /** Batches with a pending callback, whose items' finishes may finish them. */
    private final Set<UUID> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /**
     * @param guard      checks callback URLs at submit and at each try
     * @param secret  the secret deliveries are signed with
     * @param threads false to deliver nothing until {@link #runDue} is called
     */
    public Webhooks(JobStore store, SourceGuard guard, WebhookSettings settings, Clock clock, WebhookSecret secret,
                    boolean threads) {
        this.store = store;
        this.guard = guard;
        this.clock = clock;
        this.secret = secret;
        this.delivery = new WebhookDelivery(store, new WebhookSender(guard, settings.requestTimeout(), clock),
                settings, clock, secret);
        if (threads) {
            executor = new ScheduledThreadPoolExecutor(THREADS, new NamedThreadFactory("thumbnail-webhook"));
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.setRemoveOnCancelPolicy(true);
        } else {
            executor = null;
        }
    }

    /**
     * The callback a submit asks for, checked by the guard now (no connection is made); null for none.
     *
     * @throws ThumbnailException {@code invalid_request} naming {@code callback_url} when the guard refuses it
     */
    public Callback check(URI url) {
        if (url == null) {
            return null;
        }
        try {
            return Callback.pending(guard.check(url).uri());
        } catch (ThumbnailException e) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "callback_url is refused: " + e.getMessage()
                    + (e.code() == ErrorCode.SOURCE_BLOCKED ? "; callbacks go only to public http(s) addresses" : ""));
        }
    }

    /** A batch with a pending callback is about to be stored: its items' finishes are to be followed. */
    public void watchBatch(UUID id) {
        watched.add(id);
    }

    /** The batch was not stored after all. */
    public void forgetBatch(UUID id) {
        watched.remove(id);
    }

    @Override
    public void onChange(Job job) {
        if (!job.status().isFinished()) {
            return;
        }
        if (job.callback() != null && job.callback().isPending()) {
            ask(CallbackSubject.job(job.id()));
        }
        onItemGone(job);
    }

    /** A deleted item no longer counts: its batch may be finished now. */
    @Override
    public void onDelete(Job deleted) {
        onItemGone(deleted);
    }

    private void onItemGone(Job job) {
        if (job.batchId() != null && watched.contains(job.batchId())) {
            ask(CallbackSubject.batch(job.batchId()));
        }
    }

    /**
     * Derives the signing secret when none is configured, and writes it for the operator. On the opening thread,
     * before any worker runs: a start that cannot read the stored secret fails.
     */
    public void openSecret() {
        secret.value();
    }

    /**
     * Looks, on a webhook thread (or now, without threads), for the deliveries a crash or a shutdown cut short, and
     * with threads again every {@link #SWEEP}.
     */
    public void resumePendingSoon() {
        if (executor == null) {
            resumePending();
        } else {
            executor.scheduleWithFixedDelay(this::resumePending, 0, SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void resumePending() {
        List<JobStore.PendingCallback> pending;
        try {
            pending = store.callbacks().pending(clock.instant());
        } catch (RuntimeException e) {
            log.warn("could not look for webhooks pending; looking again {} later: {}", SWEEP, e.toString());
            return;
        }
        for (JobStore.PendingCallback p : pending) {
            if (p.subject().isBatch()) {
                watched.add(p.subject().id());
            }
            ask(p.subject(), p.dueIn());
        }
    }

    private void ask(CallbackSubject subject) {
        ask(subject, Duration.ZERO);
    }

    private void ask(CallbackSubject subject, Duration delay) {
        synchronized (this) {
            if (asked.containsKey(subject)) {
                asked.put(subject, true);
                return;
            }
            asked.put(subject, false);
        }
        enqueue(subject, delay);
    }

    private void enqueue(CallbackSubject subject, Duration delay) {
        if (executor == null) {
            dueByHand.put(subject, clock.instant().plus(delay));
            return;
        }
        try {
            executor.schedule(() -> run(subject), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopped: the callback is pending in the store, and the next start delivers it.
            synchronized (this) {
                asked.remove(subject);
            }
        }
    }

    /** Tries, on the calling thread, the deliveries whose time has come by the clock (without threads); how many. */
    public int runDue() {
        Instant now = clock.instant();
        int ran = 0;
        for (Map.Entry<CallbackSubject, Instant> due : List.copyOf(dueByHand.entrySet())) {
            if (!due.getValue().isAfter(now) && dueByHand.remove(due.getKey(), due.getValue())) {
                run(due.getKey());
                ran++;
            }
        }
        return ran;
    }

    private void run(CallbackSubject subject) {
        Duration again = null;
        try {
            again = delivery.attempt(subject);
        } catch (StoreException e) {
            // The store's health has logged it; the callback stays pending and is resumed at the next start.
            log.debug("webhook of {} could not be delivered for now ({})", subject.id(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("webhook of {} failed unexpectedly", subject.id(), e);
        }
        boolean askedAgain;
        synchronized (this) {
            askedAgain = Boolean.TRUE.equals(asked.remove(subject));
            if (again != null || askedAgain) {
                asked.put(subject, false);
            }
        }
        if (again != null && !stopping) {
            enqueue(subject, again);
        } else if (askedAgain) {
            enqueue(subject, Duration.ZERO);
        }
    }

    /**
     * Lets the tries under way finish for up to {@code timeout}, then interrupts them; what was not delivered stays
     * pending and goes on at the next start.
     */
    public void stop(Duration timeout) {
        stopping = true;
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
                log.warn("webhook deliveries still under way after {}; they go on at the next start", timeout);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
