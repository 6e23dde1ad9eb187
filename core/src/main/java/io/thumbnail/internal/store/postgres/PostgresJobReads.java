package io.thumbnail.internal.store.postgres;

import io.thumbnail.Batch;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.store.JobListing;
import io.thumbnail.internal.store.JobReads;
import io.thumbnail.internal.store.JobStatements;
import io.thumbnail.internal.store.SpecCodec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link JobReads} of {@link PostgresJobStore}: what it answers without changing anything, and what a node
 * listening to the others reads back ({@link NotificationListener.Reader}).
 */
final class PostgresJobReads implements JobReads, NotificationListener.Reader {
    /** The most jobs a node reconnecting reads back as finished while it was not listening. */
    private static final int CATCH_UP_LIMIT = 1_000;

    private final DatabaseCalls calls;

    PostgresJobReads(DatabaseCalls calls) {
        this.calls = calls;
    }

    @Override
    public List<UUID> pendingPublications() {
        return calls.read(c -> Sql.query(c, JobStatements.PENDING_PUBLICATIONS, rs -> {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(Sql.CELLS.uuid(rs, "id"));
            }
            return ids;
        }));
    }

    @Override
    public Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner) {
        return first(calls.read(c -> Sql.jobs(c, "SELECT * FROM jobs WHERE source_sha256 = ? AND spec = ?"
                        + " AND status = 'DONE' AND owner IS NOT DISTINCT FROM CAST(? AS text) LIMIT 1",
                sourceSha256, SpecCodec.encode(spec), owner)));
    }

    @Override
    public Optional<Job> get(UUID id) {
        return first(calls.read(c -> Sql.jobs(c, JobStatements.GET, id)));
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

    @Override
    public Page<Job> list(JobQuery query) {
        JobListing.Select select = JobListing.select(query);
        return calls.read(c -> Sql.query(c, select.sql(), rs -> JobListing.page(rs, query.limit(), Sql.CELLS),
                select.args()));
    }

    @Override
    public Optional<Batch> batch(UUID id) {
        return calls.read(c -> {
            List<Job> items = Sql.jobs(c, JobStatements.BATCH_ITEMS, id);
            return Optional.ofNullable(Sql.query(c, JobStatements.BATCH,
                    rs -> JobListing.batch(rs, id, items, Sql.CELLS), id));
        });
    }

    @Override
    public boolean references(String sha256) {
        return calls.read(c -> Sql.number(c, JobStatements.REFERENCES, sha256, sha256, sha256) == 1);
    }

    @Override
    public Set<String> referencedHashes() {
        return calls.read(c -> Sql.query(c, JobStatements.REFERENCED_HASHES, JobStatements::hashes));
    }

    @Override
    public long count(JobStatus status) {
        return calls.read(c -> Sql.number(c, JobStatements.COUNT, status.name()));
    }

    /** False at once while the database is known to be unreachable: a probe finds out when it is back. */
    @Override
    public boolean ping() {
        return calls.ping();
    }

    /** PostgreSQL checks its own pages as it reads them; a damaged one fails the read, and the store's health says so. */
    @Override
    public List<String> integrityProblems() {
        return List.of();
    }

    static <T> Optional<T> first(List<T> items) {
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }
}
