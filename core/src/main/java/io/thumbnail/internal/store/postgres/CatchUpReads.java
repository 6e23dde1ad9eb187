package io.thumbnail.internal.store.postgres;

import io.thumbnail.Job;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What a node listening to the others reads back ({@link NotificationListener.Reader}): the jobs other nodes said
 * they finished, and, after missing notifications, the jobs awaited here and those finished meanwhile.
 */
final class CatchUpReads implements NotificationListener.Reader {
    /** The most jobs a node reconnecting reads back as finished while it was not listening. */
    private static final int CATCH_UP_LIMIT = 1_000;

    private final DatabaseCalls calls;

    CatchUpReads(DatabaseCalls calls) {
        this.calls = calls;
    }

    /** The jobs among {@code ids} that exist. */
    @Override
    public List<Job> jobs(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return calls.read(c -> Sql.jobs(c, "SELECT * FROM jobs WHERE id = ANY(?)", Sql.uuids(c, ids)));
    }

    /** The jobs finished since {@code since} by their nodes' clocks, newest first, at most a thousand. */
    @Override
    public List<Job> finishedSince(Instant since) {
        return calls.read(c -> Sql.jobs(c, "SELECT * FROM jobs WHERE finished_at >= ? ORDER BY finished_at DESC LIMIT ?",
                since, CATCH_UP_LIMIT));
    }
}
