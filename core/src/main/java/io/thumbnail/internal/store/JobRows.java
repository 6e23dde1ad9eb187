package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.Priority;
import io.thumbnail.Publication;
import io.thumbnail.JobStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import java.util.UUID;

/**
 * Maps the {@code jobs} table to {@link Job} and back: the one place that knows the column names. Both stores name
 * their columns alike; they differ only in how they hold instants and ids ({@link Cells}).
 */
public final class JobRows {
    static final String COLUMNS = "id, status, spec, source_name, source_bytes, source_format, source_width,"
            + " source_height, source_sha256, result_format, result_width, result_height, result_bytes, result_sha256,"
            + " error_code, error_message, attempts, created_at, started_at, finished_at, run_after, batch_id, owner,"
            + " source_url, publish_target, fallback_format, fallback_bytes, fallback_sha256, priority,"
            + " callback_url, callback_status";

    static final String INSERT = insert("?");

    /** How a database holds instants and ids: SQLite as epoch milliseconds and text. */
    public interface Cells {
        Instant instant(ResultSet rs, String column) throws SQLException;

        void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException;

        UUID uuid(ResultSet rs, String column) throws SQLException;

        void setUuid(PreparedStatement ps, int index, UUID value) throws SQLException;
    }

    /** SQLite's cells: instants as epoch milliseconds, ids as text. */
    static final Cells SQLITE = new Cells() {
        @Override
        public Instant instant(ResultSet rs, String column) throws SQLException {
            long value = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(value);
        }

        @Override
        public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
            setLong(ps, index, millis(value));
        }

        @Override
        public UUID uuid(ResultSet rs, String column) throws SQLException {
            String value = rs.getString(column);
            return value == null ? null : UUID.fromString(value);
        }

        @Override
        public void setUuid(PreparedStatement ps, int index, UUID value) throws SQLException {
            ps.setString(index, value == null ? null : value.toString());
        }
    };

    private JobRows() {
    }

    /**
     * The insert of every column of {@link #COLUMNS}, with {@code runAfter} in place of the run-after value's
     * parameter (PostgreSQL takes the database's clock when the parameter is null).
     */
    public static String insert(String runAfter) {
        String values = String.join(", ", Collections.nCopies(20, "?")) + ", " + runAfter + ", "
                + String.join(", ", Collections.nCopies(10, "?"));
        return "INSERT INTO jobs (" + COLUMNS + ") VALUES (" + values + ")";
    }

    static Job read(ResultSet rs) throws SQLException {
        return read(rs, SQLITE);
    }

    /** The job a row holds; {@code node} is the lease's holder, which only a job in processing has. */
    public static Job read(ResultSet rs, Cells cells) throws SQLException {
        String resultFormat = rs.getString("result_format");
        String fallbackFormat = rs.getString("fallback_format");
        JobResult.Fallback fallback = fallbackFormat == null ? null : new JobResult.Fallback(
                ImageFormat.fromId(fallbackFormat), rs.getLong("fallback_bytes"), rs.getString("fallback_sha256"));
        JobResult result = resultFormat == null ? null : new JobResult(ImageFormat.fromId(resultFormat),
                rs.getInt("result_width"), rs.getInt("result_height"), rs.getLong("result_bytes"),
                rs.getString("result_sha256"), fallback);
        JobError error = error(rs.getString("error_code"), rs.getString("error_message"));
        String sourceFormat = rs.getString("source_format");
        JobSource source = new JobSource(rs.getString("source_name"), rs.getLong("source_bytes"),
                sourceFormat == null ? null : ImageFormat.fromId(sourceFormat), integer(rs, "source_width"),
                integer(rs, "source_height"), rs.getString("source_sha256"), uri(rs.getString("source_url")));
        JobStatus status = JobStatus.valueOf(rs.getString("status"));
        return Job.builder().id(cells.uuid(rs, "id")).status(status)
                .spec(SpecCodec.decode(rs.getString("spec"))).source(source).result(result).error(error)
                .attempts(rs.getInt("attempts")).createdAt(cells.instant(rs, "created_at"))
                .startedAt(cells.instant(rs, "started_at")).finishedAt(cells.instant(rs, "finished_at"))
                .batchId(cells.uuid(rs, "batch_id")).owner(rs.getString("owner"))
                .publication(publication(rs)).priority(priority(rs.getInt("priority")))
                .node(status == JobStatus.PROCESSING ? rs.getString("lease_owner") : null).callback(callback(rs))
                .build();
    }

    /** The callback columns (of {@code jobs} or {@code batches}) as a {@link Callback}, or null. */
    public static Callback callback(ResultSet rs) throws SQLException {
        String url = rs.getString("callback_url");
        if (url == null) {
            return null;
        }
        return new Callback(uri(url), Callback.Status.fromId(rs.getString("callback_status")),
                rs.getInt("callback_attempts"), rs.getString("callback_error"));
    }

    /**
     * The error a row records, or null. A code this version does not know (written by a later one) reads as
     * {@code internal}, its message kept.
     */
    private static JobError error(String code, String message) {
        if (code == null) {
            return null;
        }
        try {
            return new JobError(ErrorCode.fromId(code), message);
        } catch (IllegalArgumentException e) {
            return new JobError(ErrorCode.INTERNAL, message);
        }
    }

    /** The characters of a job's free-text fields (name, URL, owner, messages, link), what may make a row large. */
    public static long textChars(Job job) {
        JobSource s = job.source();
        long chars = length(s.name()) + (s.url() == null ? 0 : s.url().toString().length()) + length(job.owner());
        if (job.error() != null) {
            chars += length(job.error().message());
        }
        Publication p = job.publication();
        if (p != null) {
            chars += length(p.link()) + length(p.deletehash()) + (p.error() == null ? 0 : length(p.error().message()));
        }
        if (job.callback() != null) {
            chars += job.callback().url().toString().length() + length(job.callback().lastError());
        }
        return chars;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    private static Publication publication(ResultSet rs) throws SQLException {
        String target = rs.getString("publish_target");
        if (target == null) {
            return null;
        }
        return new Publication(target, rs.getString("published_link"), rs.getString("published_deletehash"),
                error(rs.getString("publish_error_code"), rs.getString("publish_error_message")));
    }

    private static java.net.URI uri(String value) {
        return value == null ? null : java.net.URI.create(value);
    }

    /** Binds every column of {@link #INSERT}; {@code runAfter} is when the job may first be claimed. */
    static void bind(PreparedStatement ps, Job job, Instant runAfter) throws SQLException {
        bind(ps, job, runAfter, SQLITE);
    }

    /** As {@link #bind(PreparedStatement, Job, Instant)}, with instants and ids held as {@code cells} says. */
    public static void bind(PreparedStatement ps, Job job, Instant runAfter, Cells cells) throws SQLException {
        JobSource s = job.source();
        JobResult r = job.result();
        JobError e = job.error();
        int i = 1;
        cells.setUuid(ps, i++, job.id());
        ps.setString(i++, job.status().name());
        ps.setString(i++, SpecCodec.encode(job.spec()));
        ps.setString(i++, s.name());
        ps.setLong(i++, s.bytes());
        ps.setString(i++, s.format() == null ? null : s.format().id());
        setInteger(ps, i++, s.width());
        setInteger(ps, i++, s.height());
        ps.setString(i++, s.sha256());
        ps.setString(i++, r == null ? null : r.format().id());
        setInteger(ps, i++, r == null ? null : r.width());
        setInteger(ps, i++, r == null ? null : r.height());
        setLong(ps, i++, r == null ? null : r.bytes());
        ps.setString(i++, r == null ? null : r.sha256());
        ps.setString(i++, e == null ? null : e.code().id());
        ps.setString(i++, e == null ? null : e.message());
        ps.setInt(i++, job.attempts());
        cells.setInstant(ps, i++, job.createdAt());
        cells.setInstant(ps, i++, job.startedAt());
        cells.setInstant(ps, i++, job.finishedAt());
        cells.setInstant(ps, i++, runAfter);
        cells.setUuid(ps, i++, job.batchId());
        ps.setString(i++, job.owner());
        ps.setString(i++, s.url() == null ? null : s.url().toString());
        ps.setString(i++, job.publication() == null ? null : job.publication().target());
        JobResult.Fallback f = r == null ? null : r.fallback();
        ps.setString(i++, f == null ? null : f.format().id());
        setLong(ps, i++, f == null ? null : f.bytes());
        ps.setString(i++, f == null ? null : f.sha256());
        ps.setInt(i++, rank(job.priority()));
        Callback callback = job.callback();
        ps.setString(i++, callback == null ? null : callback.url().toString());
        ps.setString(i, callback == null ? null : callback.status().id());
    }

    /**
     * A priority as stored: its rank, the order the queue serves them in (0 first). A rank this version does not know
     * (written by a later one) reads as normal.
     */
    static int rank(Priority priority) {
        return priority.ordinal();
    }

    private static Priority priority(int rank) {
        return rank >= 0 && rank < Priority.values().length ? Priority.values()[rank] : Priority.NORMAL;
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
