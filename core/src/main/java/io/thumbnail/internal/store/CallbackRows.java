package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link CallbackStore} of both stores: the webhook callbacks kept on the jobs' and batches' rows, with the same
 * statements ({@link CallbackStatements}) on either database, through its {@link StoreCalls}. Claims and retry times
 * are by the calling node's clock, unlike PostgreSQL's leases: a skew between nodes only moves a try a little, and
 * tests drive webhooks with a clock of their own.
 */
public final class CallbackRows implements CallbackStore {
    private final StoreCalls calls;
    private final Statements sql;

    public CallbackRows(StoreCalls calls) {
        this.calls = calls;
        this.sql = calls.statements();
    }

    @Override
    public boolean claim(CallbackSubject subject, Instant now, Instant until) {
        return calls.unreported(c -> sql.update(c, CallbackStatements.claim(subject), until, subject.id(), now),
                false) == 1;
    }

    @Override
    public void record(CallbackSubject subject, Callback callback, Instant nextTry) {
        // Not reported: the callback's progress is no change of the job's state.
        calls.unreported(c -> sql.update(c, CallbackStatements.record(subject),
                CallbackStatements.record(callback, new StoreCalls.Moment(nextTry), subject.id())), false);
    }

    /** Finished jobs' pending callbacks, then every batch's. */
    @Override
    public List<PendingCallback> pending() {
        return calls.read(c -> {
            List<PendingCallback> pending = new ArrayList<>(sql.query(c, CallbackStatements.PENDING_JOBS,
                    rs -> CallbackStatements.pending(rs, false, sql.cells())));
            pending.addAll(sql.query(c, CallbackStatements.PENDING_BATCHES,
                    rs -> CallbackStatements.pending(rs, true, sql.cells())));
            return pending;
        });
    }
}
