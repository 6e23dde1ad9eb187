package io.thumbnail.internal.store.postgres;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * What a failed statement says about the database, read from its SQLState: the connection is lost (the server went
 * down, restarts, or cannot be reached), the database cannot do its work (a full disk, out of memory, a standby that
 * refuses writes), or it found its own data damaged. Anything else is the statement's own failure (a constraint, a
 * bug), which says nothing about the database's health.
 */
final class PostgresFailures {
    private PostgresFailures() {
    }

    /** The connection failed or could not be had: class 08, the server shutting down or starting, the pool timing out. */
    static boolean isConnectionLost(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true; // the pool found no connection in time: none could be made
        }
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03");
    }

    /**
     * Whether the failure is the database's rather than the statement's: a lost connection, insufficient resources
     * (class 53: disk full, out of memory, too many connections), a system error (58), a cancelled statement (57014,
     * a timeout), or a server that takes no writes (25006, a standby).
     */
    static boolean isStorageFailure(SQLException e) {
        if (isConnectionLost(e)) {
            return true;
        }
        String state = e.getSQLState();
        return state.startsWith("53") || state.startsWith("58") || state.equals("57014") || state.equals("25006")
                || isCorruption(e);
    }

    /** Whether PostgreSQL found its data damaged (XX001, XX002). */
    static boolean isCorruption(SQLException e) {
        String state = e.getSQLState();
        return "XX001".equals(state) || "XX002".equals(state);
    }

    /** The failure in one line: its message, and its cause's when that adds to it (an unknown host, a refusal). */
    static String describe(Throwable e) {
        String message = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /**
     * The failure to open {@code what} (a message naming it, without a password), as one line naming the flag: an
     * {@link IllegalArgumentException} or {@link IllegalStateException} stays one (a bad URL, a database refusing the
     * node), anything else is {@code io_error}.
     */
    static RuntimeException notOpened(String what, Exception e) {
        String reason = e instanceof SQLException ? describe(e) : e.getMessage();
        String message = what + " (--database): " + reason;
        if (e instanceof IllegalArgumentException) {
            return new IllegalArgumentException(message, e);
        }
        if (e instanceof IllegalStateException) {
            return new IllegalStateException(message, e);
        }
        return new ThumbnailException(ErrorCode.IO_ERROR, message, e);
    }
}
