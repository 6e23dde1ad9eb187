package io.thumbnail.internal.store;

import java.time.Instant;

/**
 * The clock a store's shared statements measure claims, leases and retry times by, as SQL: SQLite's is the {@code now}
 * each call is given (one node uses the store, and tests drive its time); PostgreSQL's the database's own, so that no
 * node's clock skew lets two nodes hold one claim, or, for tests that drive time themselves, the {@code now} each call
 * is given.
 *
 * @param now           the clock, taking one argument: the caller's {@code now}, bound by {@link #now(Instant)}
 * @param later         the clock plus a duration, taking two arguments: {@code now}, then milliseconds (null: the
 *                      result is null)
 * @param databaseClock true: the database's clock, the caller's {@code now} bound as null
 * @param millisUntil   the milliseconds from the clock until an instant column's time (negative once past), with
 *                      {@code %s} for the column, taking one argument: {@code now}
 */
public record LeaseClock(String now, String later, boolean databaseClock, String millisUntil) {
    /** SQLite: instants in epoch milliseconds, measured from the caller's {@code now}. */
    public static final LeaseClock SQLITE = new LeaseClock("?", "(? + ?)", false, "(%s - ?)");

    /** The milliseconds until {@code column}'s time by this clock, as SQL taking {@code now} as its argument. */
    String millisUntil(String column) {
        return millisUntil.formatted(column);
    }

    /** The argument for {@link #now} (and the first of {@link #later}): null on the database's clock. */
    StoreCalls.Moment now(Instant instant) {
        return new StoreCalls.Moment(databaseClock ? null : instant);
    }
}
