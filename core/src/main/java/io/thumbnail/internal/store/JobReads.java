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

/**
 * What a {@link JobStore} answers without changing anything: its jobs, batches and counts, the hashes its jobs name,
 * and whether its database answers and is intact. Each store answers them through an object of its own
 * ({@link JobStore#reads()}); the store hands every call on. Throws as the store does.
 */
public interface JobReads {

    /**
     * Any done job of {@code owner} (null: jobs without an owner) with this source and spec (dedupe). Never another
     * owner's: whether a job is born done must not tell one owner what another has sent.
     */
    Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner);

    Optional<Job> get(UUID id);

    Page<Job> list(JobQuery query);

    Optional<Batch> batch(UUID id);

    /** Whether any job names this sha256 as its source, its result or its result's fallback. */
    boolean references(String sha256);

    /** Every sha256 some job names as source, result or fallback (a snapshot; confirm with {@link #references}). */
    Set<String> referencedHashes();

    long count(JobStatus status);

    /**
     * How many crash suspects ({@link JobLeases.Claim#suspect}: each runs alone once claimed) are queued or being made.
     */
    long suspects();

    /** Whether a trivial query succeeds. */
    boolean ping();

    /**
     * Checks the database's structure (SQLite's {@code quick_check}); returns the problems found, none if intact. A
     * database server that checks its own pages may return none.
     */
    List<String> integrityProblems();
}
