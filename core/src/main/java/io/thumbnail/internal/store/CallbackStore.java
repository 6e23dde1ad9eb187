package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.Callback;
import io.thumbnail.Job;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The webhook callbacks a {@link JobStore} keeps on its jobs' and batches' rows ({@link Job#callback()},
 * {@link Batch#callback()}): who makes the next try, how each went, and which are pending. Statements in
 * {@link CallbackStatements}.
 */
public interface CallbackStore {
    /**
     * Claims the next try of a pending webhook for the caller for {@code claimFor} from now: true when its subject is
     * finished (a batch: the caller has checked), its callback pending, and no try is claimed or scheduled after now.
     * One conditional update, so of the nodes sharing the store that try at once exactly one wins; a claimer that dies
     * mid-try lets the claim run out, when another may claim it again. Now is by the store's {@link LeaseClock}: the
     * database's on PostgreSQL, so a claim lasts as long whatever the nodes' own clocks say; {@code now} on SQLite.
     */
    boolean claim(CallbackSubject subject, Instant now, Duration claimFor);

    /**
     * Records how a claimed try went: the callback's status, attempts and last error (the URL stays as submitted),
     * and when the next try is due: {@code retryIn} from now by the store's lease clock, as for {@link #claim} (null:
     * at once, for a pending one whose claim is let go). Not a state change: no listener is told.
     */
    void record(CallbackSubject subject, Callback callback, Instant now, Duration retryIn);

    /**
     * The webhooks still pending at {@code now}, each with how long until its next try is due, measured by the store's
     * {@link LeaseClock} (on a shared database its own clock, so a node's clock running ahead or behind does not move
     * the try): zero when due now.
     * Of finished jobs, and of batches, finished or not (the caller delivers those finished and watches the others).
     * At a node's start, those a crash or a shutdown cut short, or that another node is trying. A job's pending
     * callback is committed with the job's finish, being part of its row, so none is lost between them.
     */
    List<PendingCallback> pending(Instant now);
}
