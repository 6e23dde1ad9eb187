package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of webhook callbacks, the same in both stores but for the clock they read ({@link LeaseClock}). A
 * callback's columns sit on its job's row (or its batch's); {@code callback_due} is when its next try may start:
 * moved ahead by a claim (to the claim's end) and by a failed try (to the retry), so a node claims a try only by a
 * conditional update that finds it due, and of several nodes trying at once one alone makes it. Both moves and the
 * check are by the one lease clock, so on a shared database a claim lasts as long for every node whatever their own
 * clocks say. Instants and ids are bound as each database keeps them ({@link JobRows.Cells}), so the arguments taking
 * them are given already converted.
 */
public final class CallbackStatements {
    /** Finished jobs with a pending callback, in order. */
    public static final String PENDING_JOBS = "SELECT id, callback_due FROM jobs WHERE callback_status = 'pending'"
            + " AND status IN ('DONE', 'FAILED') ORDER BY seq";
    /** Batches with a pending callback, finished or not, oldest first. */
    public static final String PENDING_BATCHES = "SELECT id, callback_due FROM batches"
            + " WHERE callback_status = 'pending' ORDER BY created_at";

    private final LeaseClock clock;
    /** Parameters: now, the claim's length in ms, the job's id, now. */
    private final String claimJob;
    /** Parameters: now, the claim's length in ms, the batch's id, now. The caller has seen the batch finished. */
    private final String claimBatch;
    /** Parameters: status, attempts, last error, now, ms until the next try (null: due at once), the job's id. */
    private final String recordJob;
    /** As {@link #recordJob}, ending with the batch's id. */
    private final String recordBatch;

    public CallbackStatements(LeaseClock clock) {
        this.clock = clock;
        String due = " AND (callback_due IS NULL OR callback_due <= " + clock.now() + ")";
        this.claimJob = "UPDATE jobs SET callback_due = " + clock.later() + " WHERE id = ?"
                + " AND callback_status = 'pending' AND status IN ('DONE', 'FAILED')" + due;
        this.claimBatch = "UPDATE batches SET callback_due = " + clock.later() + " WHERE id = ?"
                + " AND callback_status = 'pending'" + due;
        String record = " SET callback_status = ?, callback_attempts = ?, callback_error = ?, callback_due = "
                + clock.later() + " WHERE id = ?";
        this.recordJob = "UPDATE jobs" + record;
        this.recordBatch = "UPDATE batches" + record;
    }

    /** The claim of {@code subject}'s try. */
    public String claim(CallbackSubject subject) {
        return subject.isBatch() ? claimBatch : claimJob;
    }

    /** {@link #claim}'s arguments, given the id as kept. */
    public Object[] claim(Instant now, Duration claimFor, Object id) {
        return new Object[]{clock.now(now), claimFor.toMillis(), id, clock.now(now)};
    }

    /** The record of {@code subject}'s try. */
    public String record(CallbackSubject subject) {
        return subject.isBatch() ? recordBatch : recordJob;
    }

    /** {@link #record}'s arguments, given the wait until the next try (null: due at once) and the id as kept. */
    public Object[] record(Callback callback, Instant now, Duration retryIn, Object id) {
        return new Object[]{callback.status().id(), callback.attempts(), callback.lastError(), clock.now(now),
                retryIn == null ? null : retryIn.toMillis(), id};
    }

    /** The subjects {@link #PENDING_JOBS} or {@link #PENDING_BATCHES} selected, each with when it is due. */
    public static List<PendingCallback> pending(ResultSet rs, boolean batches, JobRows.Cells cells)
            throws SQLException {
        List<PendingCallback> pending = new ArrayList<>();
        while (rs.next()) {
            pending.add(new PendingCallback(new CallbackSubject(cells.uuid(rs, "id"), batches),
                    cells.instant(rs, "callback_due")));
        }
        return pending;
    }
}
