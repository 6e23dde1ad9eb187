package io.thumbnail.internal.store.postgres;

import io.thumbnail.Job;
import io.thumbnail.internal.store.JobRows;
import io.thumbnail.internal.store.Statements;
import io.thumbnail.internal.store.StoreCalls;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The few JDBC moves the PostgreSQL store repeats: bind, run, map rows to jobs ({@link #STATEMENTS}, to the statements
 * both stores share). Statements are prepared afresh each time: pgjdbc keeps each connection's server-side prepared
 * statements by their text, so the store's few statements are parsed and planned once per connection anyway.
 */
final class Sql {
    /** Instants as {@code timestamptz}, ids as {@code uuid}. */
    static final JobRows.Cells CELLS = new JobRows.Cells() {
        @Override
        public Instant instant(ResultSet rs, String column) throws SQLException {
            OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }

        @Override
        public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
            ps.setObject(index, timestamp(value), Types.TIMESTAMP_WITH_TIMEZONE);
        }

        @Override
        public UUID uuid(ResultSet rs, String column) throws SQLException {
            return rs.getObject(column, UUID.class);
        }

        @Override
        public void setUuid(PreparedStatement ps, int index, UUID value) throws SQLException {
            ps.setObject(index, value, Types.OTHER);
        }
    };

    /** The moves below, for the statements both stores share. */
    static final Statements STATEMENTS = new Statements() {
        @Override
        public JobRows.Cells cells() {
            return CELLS;
        }

        @Override
        public List<Job> jobs(Connection c, String sql, Object... args) throws SQLException {
            return Sql.jobs(c, sql, args);
        }

        @Override
        public long number(Connection c, String sql, Object... args) throws SQLException {
            return Sql.number(c, sql, args);
        }

        @Override
        public int update(Connection c, String sql, Object... args) throws SQLException {
            return Sql.update(c, sql, args);
        }

        @Override
        public <T> T query(Connection c, String sql, Rows<T> rows, Object... args) throws SQLException {
            return Sql.query(c, sql, rows, args);
        }
    };

    private Sql() {
    }

    /** A {@code timestamptz} parameter's value, or null. */
    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Runs a query, or a statement with {@code RETURNING *}, and maps every row. */
    static List<Job> jobs(Connection c, String sql, Object... args) throws SQLException {
        return query(c, sql, rs -> {
            List<Job> jobs = new ArrayList<>();
            while (rs.next()) {
                jobs.add(JobRows.read(rs, CELLS));
            }
            return jobs;
        }, args);
    }

    static long number(Connection c, String sql, Object... args) throws SQLException {
        return query(c, sql, rs -> rs.next() ? rs.getLong(1) : 0L, args);
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    static <T> T query(Connection c, String sql, Statements.Rows<T> rows, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rows.read(rs);
        }
    }

    /** A {@code uuid[]} parameter. */
    static java.sql.Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                if (arg instanceof Instant instant) {
                    CELLS.setInstant(ps, i + 1, instant);
                } else if (arg instanceof UUID id) {
                    CELLS.setUuid(ps, i + 1, id);
                } else if (arg instanceof StoreCalls.Moment moment) {
                    ps.setObject(i + 1, timestamp(moment.instant()), Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    ps.setObject(i + 1, arg);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
