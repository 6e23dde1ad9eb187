package io.thumbnail.internal.store;

import io.thumbnail.Job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The few JDBC moves a store repeats on a connection: bind the arguments, run, map the rows. Arguments that are
 * {@link java.util.UUID}s or {@link java.time.Instant}s are bound as the database keeps them ({@link #cells()}); an
 * instant that may be null is given as a {@link StoreCalls.Moment}.
 */
public interface Statements {

    @FunctionalInterface
    interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** How the database holds instants and ids. */
    JobRows.Cells cells();

    /** Runs a query, or a statement with {@code RETURNING *}, and maps every row. */
    List<Job> jobs(Connection c, String sql, Object... args) throws SQLException;

    /** The first column of the first row, or 0 if there is none. */
    long number(Connection c, String sql, Object... args) throws SQLException;

    int update(Connection c, String sql, Object... args) throws SQLException;

    <T> T query(Connection c, String sql, Rows<T> rows, Object... args) throws SQLException;
}
