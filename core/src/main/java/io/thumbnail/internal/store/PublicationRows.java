package io.thumbnail.internal.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The {@link PublicationLeases} of both stores: the lease on a publication is kept on its job's row
 * ({@code publish_owner}, the holding node's id; {@code publish_until}, when it runs out), claimed and renewed by
 * conditional updates, and cleared by {@link JobStatements#RECORD_PUBLICATION}. The statements are the same on either
 * database but for how they read the lease clock, which each store gives as a {@link Dialect}: SQLite measures leases
 * from the {@code now} each call is given, as its job leases do; PostgreSQL by the database's clock, as its job leases
 * do, so no node's clock skew lets two nodes publish one thumbnail.
 */
public final class PublicationRows implements PublicationLeases {
    /**
     * Done, its publication neither made nor failed: the rows of the partial index {@code jobs_publication_pending}
     * (by status, then submission), so looking for them reads those few and not every done job.
     */
    private static final String PENDING = "status = 'DONE' AND publish_target IS NOT NULL"
            + " AND published_link IS NULL AND publish_error_code IS NULL";

    /**
     * What differs between the stores.
     *
     * @param clock  what the leases are measured by
     * @param shared whether several nodes may use the store at once (false: SQLite, under the data directory's lock)
     */
    public record Dialect(LeaseClock clock, boolean shared) {
        /** SQLite: leases measured from the caller's {@code now}; one node at a time. */
        public static final Dialect SQLITE = new Dialect(LeaseClock.SQLITE, false);
    }

    private final StoreCalls calls;
    private final Statements sql;
    private final Dialect dialect;
    private final LeaseClock clock;
    /** Parameters: the node's id, now. */
    private final String free;
    /** Parameters: the node's id, now, the lease in ms, the job's id, the node's id, now. */
    private final String claim;
    /** Parameters: now, the lease in ms, the job's id, the node's id. */
    private final String extend;
    /** Parameters: the node's id, now. */
    private final String claimable;
    /** Parameters: the node's id on a shared store, none on SQLite. */
    private final String release;

    public PublicationRows(StoreCalls calls, Dialect dialect) {
        this.calls = calls;
        this.sql = calls.statements();
        this.dialect = dialect;
        this.clock = dialect.clock();
        this.free = "(publish_owner IS NULL OR publish_owner = ? OR publish_until <= " + clock.now() + ")";
        this.claim = "UPDATE jobs SET publish_owner = ?, publish_until = " + clock.later() + " WHERE id = ? AND "
                + PENDING + " AND " + free;
        this.extend = "UPDATE jobs SET publish_until = " + clock.later() + " WHERE id = ? AND publish_owner = ?"
                + " AND " + PENDING;
        this.claimable = "SELECT id FROM jobs WHERE " + PENDING + " AND " + free + " ORDER BY seq";
        this.release = "UPDATE jobs SET publish_owner = NULL, publish_until = NULL WHERE " + PENDING
                + (dialect.shared() ? " AND publish_owner = ?" : " AND publish_owner IS NOT NULL");
    }

    @Override
    public boolean claim(UUID id, String nodeId, Instant now, Duration lease) {
        // Not reported: who publishes is no change of the job's state.
        return calls.unreported(c -> sql.update(c, claim, nodeId, clock.now(now), lease.toMillis(), id, nodeId,
                clock.now(now)), false) == 1;
    }

    @Override
    public int extend(String nodeId, Collection<UUID> ids, Instant now, Duration lease) {
        if (ids.isEmpty()) {
            return 0;
        }
        // One statement per publication: a node publishes only a few at a time (one per publishing thread).
        return calls.unreported(c -> {
            int extended = 0;
            for (UUID id : ids) {
                extended += sql.update(c, extend, clock.now(now), lease.toMillis(), id, nodeId);
            }
            return extended;
        }, false);
    }

    @Override
    public List<UUID> claimable(String nodeId, Instant now) {
        return calls.read(c -> sql.query(c, claimable, rs -> {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(sql.cells().uuid(rs, "id"));
            }
            return ids;
        }, nodeId, clock.now(now)));
    }

    @Override
    public int release(String nodeId) {
        Object[] args = dialect.shared() ? new Object[]{nodeId} : new Object[0];
        return calls.unreported(c -> sql.update(c, release, args), false);
    }
}
