package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.JobStore.PendingCallback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of webhook callbacks, the same in both stores. A callback's columns sit on its job's row (or its
 * batch's); {@code callback_due} is when its next try may start: moved ahead by a claim (to the claim's end) and by a
 * failed try (to the retry), so a node claims a try only by a conditional update that finds it due, and of several
 * nodes trying at once one alone makes it. Instants and ids are bound as each database keeps them
 * ({@link JobRows.Cells}), so the arguments taking them are given already converted.
 */
public final class CallbackStatements {
    /** Parameters: the claim's end, the job's id, now. */
    public static final String CLAIM_JOB = "UPDATE jobs SET callback_due = ? WHERE id = ?"
            + " AND callback_status = 'pending' AND status IN ('DONE', 'FAILED')"
            + " AND (callback_due IS NULL OR callback_due <= ?)";
    /** Parameters: the claim's end, the batch's id, now. The caller has seen the batch finished. */
    public static final String CLAIM_BATCH = "UPDATE batches SET callback_due = ? WHERE id = ?"
            + " AND callback_status = 'pending' AND (callback_due IS NULL OR callback_due <= ?)";
    private static final String RECORD = " SET callback_status = ?, callback_attempts = ?, callback_error = ?,"
            + " callback_due = ? WHERE id = ?";
    /** Parameters: status, attempts, last error, the next try's time, the job's id. */
    public static final String RECORD_JOB = "UPDATE jobs" + RECORD;
    /** Parameters: status, attempts, last error, the next try's time, the batch's id. */
    public static final String RECORD_BATCH = "UPDATE batches" + RECORD;
    /** Finished jobs with a pending callback, in order. */
    public static final String PENDING_JOBS = "SELECT id, callback_due FROM jobs WHERE callback_status = 'pending'"
            + " AND status IN ('DONE', 'FAILED') ORDER BY seq";
    /** Batches with a pending callback, finished or not, oldest first. */
    public static final String PENDING_BATCHES = "SELECT id, callback_due FROM batches"
            + " WHERE callback_status = 'pending' ORDER BY created_at";

    private CallbackStatements() {
    }

    /** The claim of {@code subject}'s try: {@link #CLAIM_JOB} or {@link #CLAIM_BATCH}. */
    public static String claim(CallbackSubject subject) {
        return subject.isBatch() ? CLAIM_BATCH : CLAIM_JOB;
    }

    /** The record of {@code subject}'s try: {@link #RECORD_JOB} or {@link #RECORD_BATCH}. */
    public static String record(CallbackSubject subject) {
        return subject.isBatch() ? RECORD_BATCH : RECORD_JOB;
    }

    /** {@link #RECORD_JOB}'s (or {@link #RECORD_BATCH}'s) arguments, given the next try's time and the id as kept. */
    public static Object[] record(Callback callback, Object nextTry, Object id) {
        return new Object[]{callback.status().id(), callback.attempts(), callback.lastError(), nextTry, id};
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
