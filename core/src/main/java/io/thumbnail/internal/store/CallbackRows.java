package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link CallbackStore} of both stores: the webhook callbacks kept on the jobs' and batches' rows, with the same
 * statements ({@link CallbackStatements}) on either database, through its {@link StoreCalls}. Claims and retry times
 * are measured by the store's {@link LeaseClock}, as its leases are: on PostgreSQL the database's, since a claim lasts
 * little more than a request's timeout and nodes' clocks that far apart would let a second node claim a try the first
 * is still making; on SQLite, one node's, the {@code now} each call is given.
 */
public final class CallbackRows implements CallbackStore {
    private final StoreCalls calls;
    private final Statements sql;
    private final CallbackStatements statements;

    public CallbackRows(StoreCalls calls, LeaseClock clock) {
        this.calls = calls;
        this.sql = calls.statements();
        this.statements = new CallbackStatements(clock);
    }

    @Override
    public boolean claim(CallbackSubject subject, Instant now, Duration claimFor) {
        return calls.unreported(c -> sql.update(c, statements.claim(subject),
                statements.claim(now, claimFor, subject.id())), false) == 1;
    }

    @Override
    public void record(CallbackSubject subject, Callback callback, Instant now, Duration retryIn) {
        // Not reported: the callback's progress is no change of the job's state.
        calls.unreported(c -> sql.update(c, statements.record(subject),
                statements.record(callback, now, retryIn, subject.id())), false);
    }

    /** Finished jobs' pending callbacks, then every batch's. */
    @Override
    public List<PendingCallback> pending(Instant now) {
        return calls.read(c -> {
            List<PendingCallback> pending = new ArrayList<>(sql.query(c, statements.pending(false),
                    rs -> CallbackStatements.pending(rs, false, sql.cells()), statements.pending(now)));
            pending.addAll(sql.query(c, statements.pending(true),
                    rs -> CallbackStatements.pending(rs, true, sql.cells()), statements.pending(now)));
            return pending;
        });
    }
}
