package io.thumbnail;

/**
 * A listing request: newest first, optionally filtered.
 *
 * @param status only jobs in this status, or null for all
 * @param owner  only jobs of this owner, or null for all
 * @param limit  page size, 1-1000 (default 50)
 * @param cursor the {@link Page#next()} of the previous page, or null for the first
 * @param published only jobs published to this destination (for example {@link Publication#IMGUR}), or null for all
 */
public record JobQuery(JobStatus status, String owner, int limit, String cursor, String published) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public JobQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " (was " + limit + ")");
        }
    }

    public JobQuery(JobStatus status, String owner, int limit, String cursor) {
        this(status, owner, limit, cursor, null);
    }

    public static JobQuery all() {
        return new JobQuery(null, null, DEFAULT_LIMIT, null);
    }

    public JobQuery withStatus(JobStatus value) {
        return new JobQuery(value, owner, limit, cursor, published);
    }

    public JobQuery withOwner(String value) {
        return new JobQuery(status, value, limit, cursor, published);
    }

    public JobQuery withLimit(int value) {
        return new JobQuery(status, owner, value, cursor, published);
    }

    public JobQuery withCursor(String value) {
        return new JobQuery(status, owner, limit, value, published);
    }

    /** Only jobs whose thumbnail was published to {@code value} (for example {@code imgur}). */
    public JobQuery withPublished(String value) {
        return new JobQuery(status, owner, limit, cursor, value);
    }
}
