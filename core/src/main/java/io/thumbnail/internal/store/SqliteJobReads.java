package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.thumbnail.internal.store.Jdbc.first;

/** The queries of {@link SqliteJobStore}: what it answers without changing anything. */
final class SqliteJobReads {
    /**
     * The most text (names, URLs, messages) one listing page holds before it ends early with a cursor: rows stored
     * before names and URLs were bounded may be a megabyte each, and a full page of them must not fill the heap.
     */
    static final long MAX_PAGE_CHARS = 1L << 20;

    private final SqliteCalls calls;
    private final Jdbc jdbc;

    SqliteJobReads(SqliteCalls calls) {
        this.calls = calls;
        this.jdbc = calls.jdbc();
    }

    List<UUID> pendingPublications() {
        return calls.read(c -> jdbc.query(c, "SELECT id FROM jobs WHERE status = 'DONE' AND publish_target IS NOT NULL"
                + " AND published_link IS NULL AND publish_error_code IS NULL ORDER BY seq", rs -> {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(UUID.fromString(rs.getString(1)));
            }
            return ids;
        }));
    }

    /** Finished jobs' pending callbacks, then every batch's. */
    List<JobStore.CallbackSubject> pendingCallbacks() {
        return calls.read(c -> {
            List<JobStore.CallbackSubject> pending = new ArrayList<>(jdbc.query(c, "SELECT id FROM jobs"
                    + " WHERE callback_status = 'pending' AND status IN ('DONE', 'FAILED') ORDER BY seq", rs -> {
                List<JobStore.CallbackSubject> jobs = new ArrayList<>();
                while (rs.next()) {
                    jobs.add(JobStore.CallbackSubject.job(UUID.fromString(rs.getString(1))));
                }
                return jobs;
            }));
            pending.addAll(jdbc.query(c, "SELECT id FROM batches WHERE callback_status = 'pending'"
                    + " ORDER BY created_at", rs -> {
                List<JobStore.CallbackSubject> batches = new ArrayList<>();
                while (rs.next()) {
                    batches.add(JobStore.CallbackSubject.batch(UUID.fromString(rs.getString(1))));
                }
                return batches;
            }));
            return pending;
        });
    }

    Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner) {
        return first(calls.read(c -> jdbc.jobs(c, "SELECT * FROM jobs WHERE source_sha256 = ? AND spec = ?"
                + " AND status = 'DONE' AND owner IS ? LIMIT 1", sourceSha256, SpecCodec.encode(spec), owner)));
    }

    Optional<Job> get(UUID id) {
        return first(calls.read(c -> jdbc.jobs(c, "SELECT * FROM jobs WHERE id = ?", id.toString())));
    }

    Page<Job> list(JobQuery query) {
        long before = parseCursor(query.cursor());
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE seq < ?");
        List<Object> args = new ArrayList<>(List.of(before));
        if (query.status() != null) {
            sql.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (query.owner() != null) {
            sql.append(" AND owner = ?");
            args.add(query.owner());
        }
        if (query.published() != null) {
            sql.append(" AND publish_target = ? AND published_link IS NOT NULL");
            args.add(query.published());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(query.limit() + 1);
        return calls.read(c -> jdbc.query(c, sql.toString(), rs -> {
            List<Job> jobs = new ArrayList<>();
            long chars = 0;
            long lastSeq = 0;
            while (rs.next()) {
                // A row beyond a full page, or beyond the page's text budget, only says that the listing goes on.
                if (jobs.size() == query.limit() || chars >= MAX_PAGE_CHARS) {
                    return new Page<>(List.copyOf(jobs), Long.toString(lastSeq));
                }
                Job job = JobRows.read(rs);
                jobs.add(job);
                lastSeq = rs.getLong("seq");
                chars += JobRows.textChars(job);
            }
            return new Page<>(List.copyOf(jobs), null);
        }, args.toArray()));
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC, "cursor '" + cursor
                    + "' is not one this service handed out; pass the next value of the previous page");
        }
    }

    Optional<Batch> batch(UUID id) {
        return calls.read(c -> {
            List<Job> items = jdbc.jobs(c, "SELECT * FROM jobs WHERE batch_id = ? ORDER BY seq", id.toString());
            return jdbc.query(c, "SELECT * FROM batches WHERE id = ?", rs -> {
                if (!rs.next()) {
                    return Optional.<Batch>empty();
                }
                Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
                for (JobStatus s : JobStatus.values()) {
                    counts.put(s, 0);
                }
                items.forEach(job -> counts.merge(job.status(), 1, Integer::sum));
                return Optional.of(new Batch(id, rs.getInt("total"), Map.copyOf(counts), items,
                        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("owner"), JobRows.callback(rs)));
            }, id.toString());
        });
    }

    boolean references(String sha256) {
        return calls.read(c -> jdbc.number(c, "SELECT EXISTS (SELECT 1 FROM jobs WHERE source_sha256 = ?)"
                + " OR EXISTS (SELECT 1 FROM jobs WHERE result_sha256 = ?)"
                + " OR EXISTS (SELECT 1 FROM jobs WHERE fallback_sha256 = ?)", sha256, sha256, sha256) == 1);
    }

    Set<String> referencedHashes() {
        return calls.read(c -> jdbc.query(c, "SELECT source_sha256 FROM jobs WHERE source_sha256 IS NOT NULL"
                + " UNION SELECT result_sha256 FROM jobs WHERE result_sha256 IS NOT NULL"
                + " UNION SELECT fallback_sha256 FROM jobs WHERE fallback_sha256 IS NOT NULL", rs -> {
            Set<String> hashes = new HashSet<>();
            while (rs.next()) {
                hashes.add(rs.getString(1));
            }
            return hashes;
        }));
    }

    long count(JobStatus status) {
        return calls.read(c -> jdbc.number(c, "SELECT COUNT(*) FROM jobs WHERE status = ?", status.name()));
    }

    boolean ping() {
        try {
            return calls.read(c -> jdbc.number(c, "SELECT 1")) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    List<String> integrityProblems() {
        List<String> rows = calls.read(c -> jdbc.query(c, "PRAGMA quick_check", rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }));
        return rows.equals(List.of("ok")) ? List.of() : List.copyOf(rows);
    }

    /** Refuses with {@code queue_full} when the new queued jobs do not fit in the queue or in their owner's share. */
    void checkRoom(Connection c, List<Job> jobs, long newQueued, JobStore.QueueLimits limits) throws SQLException {
        // Counting stops past the limit: the check needs no more.
        long queued = jdbc.number(c, "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED' LIMIT ?)",
                limits.capacity() + 1);
        if (queued + newQueued > limits.capacity()) {
            throw new ThumbnailException(ErrorCode.QUEUE_FULL, "the queue holds " + queued
                    + " jobs, its maximum is " + limits.capacity() + "; try again later");
        }
        if (limits.perOwner() >= limits.capacity()) {
            return;
        }
        Map<String, Long> byOwner = new HashMap<>();
        jobs.stream().filter(j -> j.status() == JobStatus.QUEUED && j.owner() != null)
                .forEach(j -> byOwner.merge(j.owner(), 1L, Long::sum));
        for (Map.Entry<String, Long> owner : byOwner.entrySet()) {
            long owners = jdbc.number(c, "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED'"
                    + " AND owner = ? LIMIT ?)", owner.getKey(), limits.perOwner() + 1);
            if (owners + owner.getValue() > limits.perOwner()) {
                throw new ThumbnailException(ErrorCode.QUEUE_FULL, "'" + owner.getKey() + "' may have at most "
                        + limits.perOwner() + " jobs queued (its share of a queue of " + limits.capacity()
                        + ", which keeps room for others) and has " + owners
                        + (owner.getValue() > 1 ? "; these " + owner.getValue() + " do not fit" : "")
                        + "; try again later");
            }
        }
    }
}
