package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Listing pages and batches, the same in both stores: a page is newest first, its cursor the {@code seq} of its last
 * row, and it ends early once its rows hold a megabyte of text.
 */
public final class JobListing {
    /**
     * The most text (names, URLs, messages) one listing page holds before it ends early with a cursor: rows stored
     * before names and URLs were bounded may be a megabyte each, and a full page of them must not fill the heap.
     */
    static final long MAX_PAGE_CHARS = 1L << 20;

    /** A listing's statement and its arguments. */
    public record Select(String sql, Object[] args) {
    }

    private JobListing() {
    }

    /**
     * The statement listing one page: at most one row beyond the page, which only says that the listing goes on.
     *
     * @throws ThumbnailException {@code invalid_spec} for a cursor this service did not hand out
     */
    public static Select select(JobQuery query) {
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE seq < ?");
        List<Object> args = new ArrayList<>(List.of(cursor(query.cursor())));
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
        return new Select(sql.toString(), args.toArray());
    }

    /** Reads the page {@link #select} selected. */
    public static Page<Job> page(ResultSet rs, int limit, JobRows.Cells cells) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        long chars = 0;
        long lastSeq = 0;
        while (rs.next()) {
            // A row beyond a full page, or beyond the page's text budget, only says that the listing goes on.
            if (jobs.size() == limit || chars >= MAX_PAGE_CHARS) {
                return new Page<>(List.copyOf(jobs), Long.toString(lastSeq));
            }
            Job job = JobRows.read(rs, cells);
            jobs.add(job);
            lastSeq = rs.getLong("seq");
            chars += JobRows.textChars(job);
        }
        return new Page<>(List.copyOf(jobs), null);
    }

    /** The batch whose row {@code rs} is on, with its items (in order), or null when there is no row. */
    public static Batch batch(ResultSet rs, UUID id, List<Job> items, JobRows.Cells cells) throws SQLException {
        if (!rs.next()) {
            return null;
        }
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0);
        }
        items.forEach(job -> counts.merge(job.status(), 1, Integer::sum));
        return new Batch(id, rs.getInt("total"), Map.copyOf(counts), items, cells.instant(rs, "created_at"),
                rs.getString("owner"), JobRows.callback(rs));
    }

    private static long cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long position;
        try {
            position = Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            position = 0;
        }
        // Cursors handed out are row positions, which start at 1.
        if (position < 1) {
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "cursor '" + cursor
                    + "' is not one this service handed out; pass the next value of the previous page");
        }
        return position;
    }
}
