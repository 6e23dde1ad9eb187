package io.thumbnail.internal.store.postgres;

import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.CallbackRows;
import io.thumbnail.internal.store.CallbackStore;
import io.thumbnail.internal.store.JobLeases;
import io.thumbnail.internal.store.JobQueries;
import io.thumbnail.internal.store.JobReads;
import io.thumbnail.internal.store.JobRows;
import io.thumbnail.internal.store.JobStatements;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.LeaseClock;
import io.thumbnail.internal.store.OpenFailure;
import io.thumbnail.internal.store.PublicationLeases;
import io.thumbnail.internal.store.PublicationRows;
import io.thumbnail.internal.store.QueueRoom;
import io.thumbnail.internal.store.Secrets;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.StoreCalls.first;

/**
 * {@link JobStore} on PostgreSQL, shared by several nodes. Each state change is one conditional statement; the claim
 * picks the oldest ready job with {@code FOR UPDATE SKIP LOCKED}, so claimers on any number of nodes pass over each
 * other's rows instead of queueing behind them or finding "no job" while jobs wait.
 *
 * <p>Leases and retry times, of jobs, publications and webhook tries alike, are measured by the database's clock
 * ({@code now()}), so no node's clock skew lets two nodes hold one job or make one publication or delivery twice; the
 * job's own timestamps (created, started, finished) are the calling node's, as in the SQLite store. A node starting
 * takes back only the jobs its own id held; the others' run out of lease and any node's reaper takes them back.
 *
 * <p>Committed changes are reported to this node's listener as they commit, and told to the other nodes through
 * {@link ChangeNotifier}; {@link #listen} hands this node what the others tell. While the database cannot be reached,
 * calls fail at once instead of each waiting for a connection, until a probe ({@link #probeWrite}) gets through.
 */
public final class PostgresJobStore implements JobStore {
    private static final String INSERT = JobRows.insert(PostgresLeases.CLOCK);
    private static final String FIND_DONE = "SELECT * FROM jobs WHERE source_sha256 = ? AND spec = ?"
            + " AND status = 'DONE' AND owner IS NOT DISTINCT FROM CAST(? AS text) LIMIT 1";

    private final PostgresDatabase database;
    private final DatabaseCalls calls;
    private final JobQueries reads;
    private final PostgresLeases leases;
    private final CallbackRows callbacks;
    private final PublicationRows publications;
    private final boolean databaseClock;
    private final NodeLocks locks;
    private final ChangeNotifier notifier;
    private final String channel;
    private final String sender;
    private volatile NotificationListener listener;

    private PostgresJobStore(PostgresDatabase database, String schema, NodeLocks locks, Consumer<Job> changes,
                             StoreHealth health, boolean databaseClock) {
        this.database = database;
        this.locks = locks;
        this.databaseClock = databaseClock;
        String readable = "thumbnail " + schema;
        this.channel = readable.length() <= 63 ? readable
                : "thumbnail " + Long.toHexString(NodeLocks.key(schema));
        this.sender = Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.notifier = new ChangeNotifier(database.pool(), channel, sender);
        this.calls = new DatabaseCalls(database, health, changes, notifier);
        this.reads = new JobQueries(calls, FIND_DONE);
        this.leases = new PostgresLeases(calls, databaseClock);
        LeaseClock clock = PostgresLeases.leaseClock(databaseClock);
        this.callbacks = new CallbackRows(calls, clock);
        this.publications = new PublicationRows(calls, new PublicationRows.Dialect(clock, true));
    }

    /** The calls this store makes, for tests in this package that break a connection mid-call. */
    DatabaseCalls calls() {
        return calls;
    }

    /**
     * Connects to the database {@code url} names, migrates its schema (the one the URL's {@code currentSchema}
     * selects, {@code public} by default) and takes {@code nodeId}, which no other running node may hold.
     *
     * @param databaseClock true: leases and retry times by the database's clock; false: by the {@code now} each call
     *                      is given (tests that drive time themselves)
     * @param changes       told of every change this node commits, after its commit, per job in order: it must be
     *                      quick and must not call back into the store
     * @throws ThumbnailException {@code io_error}, or an {@link IllegalArgumentException} or
     *                            {@link IllegalStateException}, saying why the database could not be opened; the
     *                            message shows the URL without its password
     */
    public static JobStore open(String url, String nodeId, boolean databaseClock, Consumer<Job> changes,
                                StoreHealth health) {
        PostgresDatabase database = null;
        NodeLocks locks = null;
        try {
            database = PostgresDatabase.open(url, nodeId);
            String schema;
            try (Connection c = database.connect()) {
                schema = Sql.query(c, "SELECT current_schema()", rs -> rs.next() ? rs.getString(1) : null);
                if (schema == null) {
                    throw new IllegalStateException("no schema of its search_path exists; create one, or name"
                            + " one with currentSchema=");
                }
                PostgresMigrations.migrate(c);
            }
            locks = new NodeLocks(database, schema, nodeId);
            locks.claimNodeId();
            return new PostgresJobStore(database, schema, locks, changes, health, databaseClock);
        } catch (SQLException | RuntimeException e) {
            if (locks != null) {
                locks.close();
            }
            if (database != null) {
                database.close();
            }
            throw PostgresFailures.notOpened(OpenFailure.DATABASE_FAILURE + PostgresDatabase.mask(url), e);
        }
    }

    @Override
    public void insert(NewBatch batch, List<Job> jobs, QueueLimits limits) {
        calls.transaction(c -> {
            QueueRoom.check(jobs, limits, (sql, args) -> Sql.number(c, sql, args));
            if (batch != null) {
                Sql.update(c, JobStatements.INSERT_BATCH, JobStatements.insertBatch(batch, batch.id(),
                        batch.createdAt()));
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Job job : jobs) {
                    JobRows.bind(ps, job, databaseClock ? null : job.createdAt(), Sql.CELLS);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return jobs;
        }, true);
    }

    @Override
    public Optional<Job> complete(UUID id, String nodeId, JobResult result, Instant now) {
        return first(calls.write(c -> Sql.jobs(c, JobStatements.COMPLETE, JobStatements.complete(result, now, id, nodeId))));
    }

    @Override
    public Optional<Job> fail(UUID id, String nodeId, JobError error, Instant now) {
        return first(calls.write(c -> Sql.jobs(c, JobStatements.FAIL, JobStatements.fail(error, now, id, nodeId))));
    }

    @Override
    public Optional<Job> recordSource(UUID id, String nodeId, JobSource s) {
        return first(calls.write(c -> Sql.jobs(c, JobStatements.RECORD_SOURCE, JobStatements.recordSource(s, id, nodeId))));
    }

    @Override
    public Optional<Job> recordPublication(UUID id, String nodeId, Publication p) {
        return first(calls.write(c -> Sql.jobs(c, JobStatements.RECORD_PUBLICATION,
                JobStatements.recordPublication(p, id, nodeId))));
    }

    @Override
    public JobReads reads() {
        return reads;
    }

    @Override
    public JobLeases leases() {
        return leases;
    }

    @Override
    public CallbackStore callbacks() {
        return callbacks;
    }

    @Override
    public PublicationLeases publications() {
        return publications;
    }

    @Override
    public Optional<Job> delete(UUID id) {
        // Not a state change: no listener call. Durable: the caller deletes the job's files next.
        return first(calls.transaction(c -> Sql.jobs(c, JobStatements.DELETE, id), true, false));
    }

    @Override
    public List<Job> deleteFinishedBefore(Instant cutoff, int limit) {
        // Durable: the caller deletes the jobs' files next, which must not outlive a row that comes back.
        return calls.transaction(c -> {
            List<Job> deleted = Sql.jobs(c, JobStatements.DELETE_FINISHED, cutoff, limit);
            Sql.update(c, JobStatements.DELETE_EMPTY_BATCHES, cutoff);
            return deleted;
        }, true, false);
    }

    @Override
    public byte[] secret(String name, Instant now) {
        return Secrets.secret(calls, name, now);
    }

    @Override
    public void probeWrite() {
        calls.probe(JobStatements.PROBE);
    }

    @Override
    public void listen(RemoteChanges remote) {
        NotificationListener started = new NotificationListener(database, channel, sender, remote,
                new CatchUpReads(calls));
        started.start();
        listener = started;
    }

    /**
     * Connections of their own on this store's database (a pool of {@code size}, closed with the store), for tables
     * beside the jobs that several nodes share, such as the pins on blobs.
     */
    public DataSource sideConnections(String purpose, int size) {
        return database.sidePool(purpose, size);
    }

    @Override
    public boolean leadsJanitor() {
        return locks.leadsJanitor();
    }

    /** Stops listening, sends the notifications still pending, lets go of the node's locks and closes the pool. */
    @Override
    public void close() {
        NotificationListener listening = listener;
        if (listening != null) {
            listening.close();
        }
        notifier.close();
        locks.close();
        database.close();
    }
}
