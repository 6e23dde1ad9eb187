package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.thumbnail.internal.store.Jdbc.first;

/** The {@link JobReads} of {@link SqliteJobStore}: what it answers without changing anything, on the readers' pool. */
final class SqliteJobReads implements JobReads {
    private final SqliteCalls calls;
    private final Jdbc jdbc;

    SqliteJobReads(SqliteCalls calls) {
        this.calls = calls;
        this.jdbc = calls.jdbc();
    }

    @Override
    public List<UUID> pendingPublications() {
        return calls.read(c -> jdbc.query(c, JobStatements.PENDING_PUBLICATIONS, rs -> {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(UUID.fromString(rs.getString(1)));
            }
            return ids;
        }));
    }

    @Override
    public Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner) {
        return first(calls.read(c -> jdbc.jobs(c, "SELECT * FROM jobs WHERE source_sha256 = ? AND spec = ?"
                + " AND status = 'DONE' AND owner IS ? LIMIT 1", sourceSha256, SpecCodec.encode(spec), owner)));
    }

    @Override
    public Optional<Job> get(UUID id) {
        return first(calls.read(c -> jdbc.jobs(c, JobStatements.GET, id.toString())));
    }

    @Override
    public Page<Job> list(JobQuery query) {
        JobListing.Select select = JobListing.select(query);
        return calls.read(c -> jdbc.query(c, select.sql(), rs -> JobListing.page(rs, query.limit(), JobRows.SQLITE),
                select.args()));
    }

    @Override
    public Optional<Batch> batch(UUID id) {
        return calls.read(c -> {
            List<Job> items = jdbc.jobs(c, JobStatements.BATCH_ITEMS, id.toString());
            return Optional.ofNullable(jdbc.query(c, JobStatements.BATCH,
                    rs -> JobListing.batch(rs, id, items, JobRows.SQLITE), id.toString()));
        });
    }

    @Override
    public boolean references(String sha256) {
        return calls.read(c -> jdbc.number(c, JobStatements.REFERENCES, sha256, sha256, sha256) == 1);
    }

    @Override
    public Set<String> referencedHashes() {
        return calls.read(c -> jdbc.query(c, JobStatements.REFERENCED_HASHES, JobStatements::hashes));
    }

    @Override
    public long count(JobStatus status) {
        return calls.read(c -> jdbc.number(c, JobStatements.COUNT, status.name()));
    }

    @Override
    public boolean ping() {
        try {
            return calls.read(c -> jdbc.number(c, "SELECT 1")) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<String> integrityProblems() {
        List<String> rows = calls.read(c -> jdbc.query(c, "PRAGMA quick_check", rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }));
        return rows.equals(List.of("ok")) ? List.of() : List.copyOf(rows);
    }
}
