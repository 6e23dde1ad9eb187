package io.thumbnail.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a job store runs its statements on its database ({@link SqliteCalls} on SQLite; on PostgreSQL, its own): on a
 * connection for reading or in a transaction for writing, each failure told to the store's health and thrown as a
 * {@link io.thumbnail.internal.health.StoreException}. The statements both stores share ({@link JobQueries},
 * {@link CallbackRows}, {@link Secrets}) run through it, with its {@link #statements()}.
 */
public interface StoreCalls {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * An instant argument that may be null (an {@link Instant} argument cannot say its type when it is null); on
     * PostgreSQL, the store's clock, null when the database's own ({@code now()}) is to be used.
     */
    record Moment(Instant instant) {
    }

    /** Runs {@code work} on a connection for reading. */
    <T> T read(Work<T> work);

    /**
     * Runs {@code work} in a transaction of its own whose writes change no job's state (a webhook's progress, a
     * secret): nobody is told of them. {@code durable}: the commit is on disk before this returns.
     */
    <T> T unreported(Work<T> work, boolean durable);

    /** How statements are bound, run and read on the database's connections. */
    Statements statements();

    /**
     * Whether a call found the database unreachable and nothing has got through since, so that a ping answers at once
     * instead of waiting for a connection. A database in a file of this node's is never unreachable.
     */
    default boolean knownUnreachable() {
        return false;
    }

    /** The problems a check of the database's structure finds; none if intact, or if the database checks itself. */
    List<String> integrityProblems();

    /** The first of the rows a statement returned. */
    static <T> Optional<T> first(List<T> items) {
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }
}
