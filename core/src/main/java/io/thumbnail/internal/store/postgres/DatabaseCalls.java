package io.thumbnail.internal.store.postgres;

import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.Statements;
import io.thumbnail.internal.store.StoreCalls;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * How the PostgreSQL store calls its database: on a connection of the pool, each failure told to the store's health
 * (a lost connection, a full disk, a damaged page) and turned into a {@link StoreException}, each committed change
 * reported to this node and told to the others. Once a call finds the database unreachable, calls fail at once
 * instead of each waiting for the pool to make a connection, until a {@link #probe} gets through on a connection of
 * its own.
 */
final class DatabaseCalls implements StoreCalls {
    private static final String UNREACHABLE = "the job database cannot be reached; try again later";

    private final PostgresDatabase database;
    private final StoreHealth health;
    private final Consumer<Job> changes;
    private final ChangeNotifier notifier;
    /** Set when a call found the database unreachable; calls then fail at once until a probe gets through. */
    private volatile boolean unreachable;

    DatabaseCalls(PostgresDatabase database, StoreHealth health, Consumer<Job> changes, ChangeNotifier notifier) {
        this.database = database;
        this.health = health;
        this.changes = changes;
        this.notifier = notifier;
    }

    /** One statement (or several) changing jobs, committed without waiting for the log's flush, then reported. */
    List<Job> write(Work<List<Job>> work) {
        List<Job> changed;
        try (Connection c = connection()) {
            changed = work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
        health.wrote();
        report(changed);
        return changed;
    }

    List<Job> transaction(Work<List<Job>> work, boolean durable) {
        return transaction(work, durable, true);
    }

    /**
     * A transaction. {@code durable}: its commit is flushed to the log (and to synchronous standbys) before this
     * returns, for the commits a caller is told of, such as a job accepted or deleted. {@code report}: its jobs are
     * state changes, reported to this node and told to the others.
     */
    List<Job> transaction(Work<List<Job>> work, boolean durable, boolean report) {
        List<Job> changed = inTransaction(work, durable);
        if (report) {
            report(changed);
        }
        return changed;
    }

    @Override
    public <T> T unreported(Work<T> work, boolean durable) {
        return inTransaction(work, durable);
    }

    private <T> T inTransaction(Work<T> work, boolean durable) {
        T changed;
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                if (durable) {
                    Sql.update(c, "SET LOCAL synchronous_commit = on");
                }
                changed = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
        health.wrote();
        return changed;
    }

    @Override
    public <T> T read(Work<T> work) {
        T result;
        try (Connection c = connection()) {
            result = work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
        return result;
    }

    /** Reports committed changes to this node, and tells the others what finished and whether jobs were queued. */
    private void report(List<Job> changed) {
        if (changed.isEmpty()) {
            return;
        }
        changed.forEach(changes);
        List<UUID> finished = new ArrayList<>();
        boolean queued = false;
        for (Job job : changed) {
            if (job.status().isFinished()) {
                finished.add(job.id());
            } else if (job.status() == JobStatus.QUEUED) {
                queued = true;
            }
        }
        if (queued) {
            notifier.queued();
        }
        if (!finished.isEmpty()) {
            notifier.finished(finished);
        }
    }

    /**
     * A connection of the pool; at once {@code io_error} while the database is known to be unreachable. Each such
     * refusal tells the store's health again: a call that got through on another thread may have marked it working
     * between a failure's report and the flag set here, and only a failing health has the database probed, which
     * clears the flag.
     */
    private Connection connection() throws SQLException {
        if (unreachable) {
            StoreException refused = new StoreException(UNREACHABLE, null);
            health.failed(refused);
            throw refused;
        }
        return database.pool().getConnection();
    }

    /** A call got through: the store's health logs that the database works again once a write does. */
    private void reachable() {
        unreachable = false;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // The connection is broken; the pool drops it, and the transaction with it.
        }
    }

    /** Tells the store's health of a failure of the database, and makes it an exception. */
    private StoreException failed(SQLException e) {
        StoreException failure = new StoreException("the job database failed: " + PostgresFailures.describe(e), e);
        if (PostgresFailures.isCorruption(e)) {
            health.damaged(e.getMessage());
        }
        if (PostgresFailures.isConnectionLost(e)) {
            unreachable = true;
        }
        if (PostgresFailures.isStorageFailure(e)) {
            health.failed(failure);
        }
        return failure;
    }

    @Override
    public boolean knownUnreachable() {
        return unreachable;
    }

    /** PostgreSQL checks its own pages as it reads them; a damaged one fails the read, and the store's health says so. */
    @Override
    public List<String> integrityProblems() {
        return List.of();
    }

    @Override
    public Statements statements() {
        return Sql.STATEMENTS;
    }

    /**
     * Runs {@code write}, a small write of nothing new. While the database is unreachable, on a connection of its
     * own: a refused connection fails at once, where the pool would wait for one to be made.
     */
    void probe(String write) {
        if (!unreachable) {
            write(c -> {
                Sql.update(c, write);
                return List.of();
            });
            return;
        }
        try (Connection c = database.connect()) {
            Sql.update(c, write);
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
        health.wrote();
    }
}
