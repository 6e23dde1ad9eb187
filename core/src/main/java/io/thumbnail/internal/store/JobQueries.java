package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailSpec;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreCalls.first;

/**
 * The {@link JobReads} of both stores: the same statements ({@link JobStatements}, {@link JobListing}) on either
 * database, through its {@link StoreCalls}. The one that differs, the dedupe lookup's test of the owner (which may be
 * null), each store gives.
 */
public final class JobQueries implements JobReads {
    private final StoreCalls calls;
    private final Statements sql;
    private final String findDone;

    /**
     * @param findDone the done job of a source, a spec and an owner that may be null: {@code SELECT * FROM jobs} where
     *                 {@code source_sha256}, {@code spec} and {@code owner} are the three parameters, in that order
     */
    public JobQueries(StoreCalls calls, String findDone) {
        this.calls = calls;
        this.sql = calls.statements();
        this.findDone = findDone;
    }

    @Override
    public Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner) {
        return first(calls.read(c -> sql.jobs(c, findDone, sourceSha256, SpecCodec.encode(spec), owner)));
    }

    @Override
    public Optional<Job> get(UUID id) {
        return first(calls.read(c -> sql.jobs(c, JobStatements.GET, id)));
    }

    @Override
    public Page<Job> list(JobQuery query) {
        JobListing.Select select = JobListing.select(query);
        return calls.read(c -> sql.query(c, select.sql(), rs -> JobListing.page(rs, query.limit(), sql.cells()),
                select.args()));
    }

    @Override
    public Optional<Batch> batch(UUID id) {
        return calls.read(c -> {
            List<Job> items = sql.jobs(c, JobStatements.BATCH_ITEMS, id);
            return Optional.ofNullable(sql.query(c, JobStatements.BATCH,
                    rs -> JobListing.batch(rs, id, items, sql.cells()), id));
        });
    }

    @Override
    public boolean references(String sha256) {
        return calls.read(c -> sql.number(c, JobStatements.REFERENCES, sha256, sha256, sha256) == 1);
    }

    @Override
    public Set<String> referencedHashes() {
        return calls.read(c -> sql.query(c, JobStatements.REFERENCED_HASHES, JobStatements::hashes));
    }

    @Override
    public long count(JobStatus status) {
        return calls.read(c -> sql.number(c, JobStatements.COUNT, status.name()));
    }

    @Override
    public long suspects() {
        return calls.read(c -> sql.number(c, JobStatements.SUSPECTS));
    }

    /** False at once while the database is known to be unreachable: a probe finds out when it is back. */
    @Override
    public boolean ping() {
        if (calls.knownUnreachable()) {
            return false;
        }
        try {
            return calls.read(c -> sql.number(c, "SELECT 1")) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<String> integrityProblems() {
        return calls.integrityProblems();
    }
}
