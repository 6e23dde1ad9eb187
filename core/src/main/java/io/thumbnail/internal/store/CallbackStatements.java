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
    private final LeaseClock clock;
    /** Finished jobs with a pending callback, in order, each with the ms until it is due. Parameter: now. */
    private final String pendingJobs;
    /** Batches with a pending callback, finished or not, oldest first, as {@link #pendingJobs}. */
    private final String pendingBatches;
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
        String dueIn = clock.millisUntil("callback_due") + " AS due_in";
        this.pendingJobs = "SELECT id, " + dueIn + " FROM jobs WHERE callback_status = 'pending'"
                + " AND status IN ('DONE', 'FAILED') ORDER BY seq";
        this.pendingBatches = "SELECT id, " + dueIn + " FROM batches WHERE callback_status = 'pending'"
                + " ORDER BY created_at";
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

    /** The jobs' or batches' pending callbacks, as of {@code now} by this clock. */
    public String pending(boolean batches) {
        return batches ? pendingBatches : pendingJobs;
    }

    /** {@link #pending(boolean)}'s arguments. */
    public Object[] pending(Instant now) {
        return new Object[]{clock.now(now)};
    }

    /** The subjects {@link #pending(boolean)} selected, each with how long until it is due (zero: due now). */
    public static List<PendingCallback> pending(ResultSet rs, boolean batches, JobRows.Cells cells)
            throws SQLException {
        List<PendingCallback> pending = new ArrayList<>();
        while (rs.next()) {
            long dueIn = rs.getLong("due_in");
            pending.add(new PendingCallback(new CallbackSubject(cells.uuid(rs, "id"), batches),
                    Duration.ofMillis(Math.max(0, dueIn))));
        }
        return pending;
    }
}
