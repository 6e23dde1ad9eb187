package io.thumbnail.internal.store;

import io.thumbnail.Job;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.Jdbc.failure;

/**
 * How {@link SqliteJobStore} runs its statements: reads on the readers' pool; changes on the single writer, reported to
 * the store's listener in commit order while the writer is still held; failures told to the store's health. Its
 * statements are kept prepared ({@link Jdbc}).
 */
final class SqliteCalls implements StoreCalls {
    private static final String SYNC_FULL = "PRAGMA synchronous = FULL";
    private static final String SYNC_NORMAL = "PRAGMA synchronous = NORMAL";

    private final Database database;
    private final Jdbc jdbc;
    private final StoreHealth health;
    private final Consumer<Job> changes;

    SqliteCalls(Database database, StoreHealth health, Consumer<Job> changes) {
        this.database = database;
        this.jdbc = database.jdbc();
        this.health = health;
        this.changes = changes;
    }

    Jdbc jdbc() {
        return jdbc;
    }

    /**
     * Refuses at once, while the database is known to fail, a change a client waits for (a submit, a delete): it would
     * wait out the busy timeout on a lock held elsewhere only to fail the same way. The store's probe, made now and
     * then by the service, finds when it works again.
     */
    void refuseWhileFailing() {
        Optional<StoreHealth.Failure> failing = health.failure();
        if (failing.isPresent()) {
            throw new StoreException("the job database is failing (since " + failing.get().since() + ": "
                    + failing.get().cause() + "); try again shortly", null);
        }
    }

    /** A transaction on the writer that returns the jobs it changed, reported before the writer is let go. */
    List<Job> write(Work<List<Job>> work) {
        return transaction(work, true, false);
    }

    /**
     * One statement on the writer, which SQLite runs atomically by itself: no BEGIN and COMMIT around it (each a
     * statement of its own to compile and run), and no switching the connection's auto-commit off and back on. The
     * jobs it changed are reported after its commit, before the writer is let go, as for {@link #write}.
     */
    List<Job> change(Work<List<Job>> statement) {
        List<Job> changed;
        try (Connection c = database.writer().getConnection()) {
            database.file().checkInPlace(c);
            changed = statement.run(c);
            changed.forEach(changes);
        } catch (SQLException e) {
            throw failed("the job database failed", e);
        }
        health.wrote();
        return changed;
    }

    /**
     * A transaction on the writer. {@code durable}: its commit is on disk before this returns (synchronous FULL: the
     * log is forced), for the commits a caller is told of, such as a job accepted or deleted; the others (claims,
     * completions) survive a crash of the process, and after a power loss at worst their work is done again.
     */
    <T extends List<Job>> T transaction(Work<T> work, boolean report, boolean durable) {
        return inTransaction(work, durable, report ? changed -> changed.forEach(changes) : changed -> { });
    }

    @Override
    public <T> T unreported(Work<T> work, boolean durable) {
        return inTransaction(work, durable, done -> { });
    }

    /** A transaction on the writer; {@code report} is given what it returned, before the writer is let go. */
    private <T> T inTransaction(Work<T> work, boolean durable, Consumer<T> report) {
        try (Connection c = database.writer().getConnection()) {
            database.file().checkInPlace(c);
            if (durable) {
                jdbc.update(c, SYNC_FULL);
            }
            T changed;
            try {
                c.setAutoCommit(false);
                try {
                    changed = work.run(c);
                } catch (SQLException | RuntimeException e) {
                    Jdbc.rollback(c, e);
                    throw e;
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    Jdbc.rollback(c, e);
                    throw storageFailed("the job database could not commit", e);
                }
            } finally {
                if (durable) {
                    c.setAutoCommit(true);
                    jdbc.update(c, SYNC_NORMAL);
                }
            }
            // Still holding the only writer: reports arrive in commit order.
            report.accept(changed);
            health.wrote();
            return changed;
        } catch (SQLException e) {
            throw failed("the job database failed", e);
        }
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = database.readers().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed("the job database failed", e);
        }
    }

    @Override
    public Statements statements() {
        return jdbc;
    }

    /** What SQLite's {@code quick_check} finds wrong with the file's structure. */
    @Override
    public List<String> integrityProblems() {
        List<String> rows = read(c -> jdbc.query(c, "PRAGMA quick_check", rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }));
        return rows.equals(List.of("ok")) ? List.of() : List.copyOf(rows);
    }

    /**
     * A commit that failed: the storage's failure whatever SQLite calls it (on a full disk it rolls back by itself,
     * and the driver's commit then reports a plain "no transaction is active").
     */
    private StoreException storageFailed(String what, SQLException e) {
        StoreException failure = failure(what, e);
        health.failed(failure);
        return failure;
    }

    /** Tells the store's health of a failure of the storage (or of a damaged database), and makes it an exception. */
    private StoreException failed(String what, SQLException e) {
        StoreException failure = failure(what, e);
        if (Jdbc.isCorruption(e)) {
            health.damaged(e.getMessage());
        }
        if (Jdbc.isStorageFailure(e)) {
            health.failed(failure);
        }
        return failure;
    }
}
