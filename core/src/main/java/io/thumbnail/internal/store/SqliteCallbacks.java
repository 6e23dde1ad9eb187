package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.Job;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link CallbackStore} of {@link SqliteJobStore}: instants as epoch milliseconds, ids as text. */
final class SqliteCallbacks implements CallbackStore {
    private final SqliteCalls calls;
    private final Jdbc jdbc;

    SqliteCallbacks(SqliteCalls calls) {
        this.calls = calls;
        this.jdbc = calls.jdbc();
    }

    @Override
    public boolean claim(CallbackSubject subject, Instant now, Instant until) {
        int[] claimed = {0};
        calls.transaction(c -> {
            claimed[0] = jdbc.update(c, CallbackStatements.claim(subject), until.toEpochMilli(),
                    subject.id().toString(), now.toEpochMilli());
            return List.<Job>of();
        }, false, false);
        return claimed[0] == 1;
    }

    @Override
    public void record(CallbackSubject subject, Callback callback, Instant nextTry) {
        // Not reported: the callback's progress is no change of the job's state.
        calls.transaction(c -> {
            jdbc.update(c, CallbackStatements.record(subject), CallbackStatements.record(callback,
                    JobRows.millis(nextTry), subject.id().toString()));
            return List.<Job>of();
        }, false, false);
    }

    /** Finished jobs' pending callbacks, then every batch's. */
    @Override
    public List<PendingCallback> pending() {
        return calls.read(c -> {
            List<PendingCallback> pending = new ArrayList<>(jdbc.query(c, CallbackStatements.PENDING_JOBS,
                    rs -> CallbackStatements.pending(rs, false, JobRows.SQLITE)));
            pending.addAll(jdbc.query(c, CallbackStatements.PENDING_BATCHES,
                    rs -> CallbackStatements.pending(rs, true, JobRows.SQLITE)));
            return pending;
        });
    }
}
