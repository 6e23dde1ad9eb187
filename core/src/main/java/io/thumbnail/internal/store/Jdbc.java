package io.thumbnail.internal.store;

import io.thumbnail.Job;
import io.thumbnail.internal.health.StoreException;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few JDBC moves the SQLite store repeats ({@link Statements}: bind, with ids as text and instants as epoch
 * milliseconds; run; map rows to jobs), and how its failures are told apart and turned into {@link StoreException}.
 *
 * <p>Statements are prepared once per connection and kept: SQLite takes about as long to compile a statement as to
 * run it, and the store runs the same few over and over on the same few connections. So a statement from
 * {@link #prepare} must not be closed (close its result set); one that failed is dropped and prepared afresh. Each
 * {@link Database} has its own, so the statements go with its connections.
 */
final class Jdbc implements Statements {
    /** By the physical connection (the pool hands out a new proxy each time), then by SQL text. */
    private final ConcurrentHashMap<Connection, ConcurrentHashMap<String, PreparedStatement>> prepared =
            new ConcurrentHashMap<>();

    @Override
    public JobRows.Cells cells() {
        return JobRows.SQLITE;
    }

    @Override
    public List<Job> jobs(Connection c, String sql, Object... args) throws SQLException {
        return query(c, sql, rs -> {
            List<Job> jobs = new ArrayList<>();
            while (rs.next()) {
                jobs.add(JobRows.read(rs));
            }
            return jobs;
        }, args);
    }

    @Override
    public long number(Connection c, String sql, Object... args) throws SQLException {
        return query(c, sql, rs -> rs.next() ? rs.getLong(1) : 0L, args);
    }

    @Override
    public int update(Connection c, String sql, Object... args) throws SQLException {
        try {
            return prepare(c, sql, args).executeUpdate();
        } catch (SQLException e) {
            forget(c, sql);
            throw e;
        }
    }

    /** Runs a query (or a statement with {@code RETURNING}) on a kept statement and reads its rows. */
    @Override
    public <T> T query(Connection c, String sql, Rows<T> rows, Object... args) throws SQLException {
        try (ResultSet rs = prepare(c, sql, args).executeQuery()) {
            return rows.read(rs);
        } catch (SQLException | RuntimeException e) {
            forget(c, sql);
            throw e;
        }
    }

    /**
     * The kept statement for {@code sql} on this connection, with {@code args} bound (ids as text, instants as epoch
     * milliseconds); do not close it.
     */
    PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = prepared(c, sql);
        try {
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                if (arg instanceof UUID id) {
                    JobRows.SQLITE.setUuid(ps, i + 1, id);
                } else if (arg instanceof Instant instant) {
                    JobRows.SQLITE.setInstant(ps, i + 1, instant);
                } else if (arg instanceof StoreCalls.Moment moment) {
                    JobRows.SQLITE.setInstant(ps, i + 1, moment.instant());
                } else {
                    ps.setObject(i + 1, arg);
                }
            }
            return ps;
        } catch (SQLException e) {
            forget(c, sql);
            throw e;
        }
    }

    private PreparedStatement prepared(Connection c, String sql) throws SQLException {
        Connection physical = physical(c);
        ConcurrentHashMap<String, PreparedStatement> kept =
                prepared.computeIfAbsent(physical, k -> new ConcurrentHashMap<>());
        PreparedStatement ps = kept.get(sql);
        if (ps == null || ps.isClosed()) {
            // Prepared on the physical connection, so the pool does not close it when the connection goes back.
            ps = physical.prepareStatement(sql);
            kept.put(sql, ps);
        }
        return ps;
    }

    /** Drops a statement that failed, so the next use prepares it afresh. */
    void forget(Connection c, String sql) {
        try {
            ConcurrentHashMap<String, PreparedStatement> kept = prepared.get(physical(c));
            PreparedStatement ps = kept == null ? null : kept.remove(sql);
            if (ps != null) {
                ps.close();
            }
        } catch (SQLException e) {
            // Closing a broken statement: nothing more to do.
        }
    }

    /** Forgets every kept statement (their connections are closed). */
    void clear() {
        prepared.clear();
    }

    private static Connection physical(Connection c) throws SQLException {
        return c.isWrapperFor(SQLiteConnection.class) ? c.unwrap(SQLiteConnection.class) : c;
    }

    static StoreException failure(String what, SQLException e) {
        return new StoreException(what + ": " + e.getMessage(), e);
    }

    /**
     * Whether the failure is the storage's (a full disk, a file that cannot be written or read, a lock held too long,
     * no connection to be had) rather than a statement's own (a constraint, a bug in its SQL).
     */
    /**
     * Rolls back after {@code cause}, which stays the failure to report: SQLite rolls back by itself after some errors
     * (a full disk, an I/O error), and the rollback then fails with a plain "no transaction is active", which would
     * hide that the storage failed. A rollback's own failure is kept as suppressed.
     */
    static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    static boolean isStorageFailure(SQLException e) {
        if (!(e instanceof SQLiteException se)) {
            return true; // the pool timing out, and the like
        }
        int primary = se.getResultCode().code & 0xff;
        return primary != SQLiteErrorCode.SQLITE_CONSTRAINT.code && primary != SQLiteErrorCode.SQLITE_ERROR.code
                && primary != SQLiteErrorCode.SQLITE_MISMATCH.code && primary != SQLiteErrorCode.SQLITE_RANGE.code
                && primary != SQLiteErrorCode.SQLITE_TOOBIG.code && primary != SQLiteErrorCode.SQLITE_MISUSE.code;
    }

    /** Whether SQLite found the file damaged (a corrupt page, or not a database at all). */
    static boolean isCorruption(SQLException e) {
        if (e instanceof SQLiteException se) {
            int primary = se.getResultCode().code & 0xff;
            return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
        }
        return false;
    }
}
