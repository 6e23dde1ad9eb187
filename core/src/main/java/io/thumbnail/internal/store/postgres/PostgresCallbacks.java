package io.thumbnail.internal.store.postgres;

import io.thumbnail.Callback;
import io.thumbnail.internal.store.CallbackStatements;
import io.thumbnail.internal.store.CallbackStore;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CallbackStore} of {@link PostgresJobStore}. Claims and retry times are by the calling node's clock, unlike
 * leases: a skew between nodes only moves a try a little, and tests drive webhooks with a clock of their own.
 */
final class PostgresCallbacks implements CallbackStore {
    private final DatabaseCalls calls;

    PostgresCallbacks(DatabaseCalls calls) {
        this.calls = calls;
    }

    @Override
    public boolean claim(CallbackSubject subject, Instant now, Instant until) {
        int[] claimed = {0};
        calls.transaction(c -> {
            claimed[0] = Sql.update(c, CallbackStatements.claim(subject), until, subject.id(), now);
            return List.of();
        }, false, false);
        return claimed[0] == 1;
    }

    @Override
    public void record(CallbackSubject subject, Callback callback, Instant nextTry) {
        // Not reported: the callback's progress is no change of the job's state.
        calls.transaction(c -> {
            Sql.update(c, CallbackStatements.record(subject), CallbackStatements.record(callback,
                    new Sql.Moment(nextTry), subject.id()));
            return List.of();
        }, false, false);
    }

    /** Finished jobs' pending callbacks, then every batch's. */
    @Override
    public List<PendingCallback> pending() {
        return calls.read(c -> {
            List<PendingCallback> pending = new ArrayList<>(Sql.query(c, CallbackStatements.PENDING_JOBS,
                    rs -> CallbackStatements.pending(rs, false, Sql.CELLS)));
            pending.addAll(Sql.query(c, CallbackStatements.PENDING_BATCHES,
                    rs -> CallbackStatements.pending(rs, true, Sql.CELLS)));
            return pending;
        });
    }
}
