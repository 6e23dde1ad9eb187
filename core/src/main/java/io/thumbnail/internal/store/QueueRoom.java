package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailException;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Whether new queued jobs fit in the queue and in their owners' shares of it; both stores check it alike. */
public final class QueueRoom {

    /** Runs a count with its arguments, on the connection of the insert about to be made. */
    @FunctionalInterface
    public interface Counter {
        long count(String sql, Object... args) throws SQLException;
    }

    /** Queued jobs, counted up to a limit only: the check needs no more. */
    private static final String QUEUED = "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED' LIMIT ?) q";
    private static final String QUEUED_OF = "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED'"
            + " AND owner = ? LIMIT ?) q";

    private QueueRoom() {
    }

    /** Enough to count past {@code limit}: one more, unless it is the largest there is. */
    private static int oneMore(int limit) {
        return limit == Integer.MAX_VALUE ? limit : limit + 1;
    }

    /** Refuses with {@code queue_full} when the queued jobs among {@code jobs} do not fit. */
    public static void check(List<Job> jobs, JobStore.QueueLimits limits, Counter counter) throws SQLException {
        long newQueued = jobs.stream().filter(j -> j.status() == JobStatus.QUEUED).count();
        if (newQueued == 0) {
            return;
        }
        if (newQueued > limits.capacity()) {
            // Never fits, however long the caller waits: not queue_full, which says to try again later.
            throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "these " + newQueued + " jobs are more than the"
                    + " whole queue holds (" + limits.capacity() + "); send them in parts of at most "
                    + limits.capacity());
        }
        long queued = counter.count(QUEUED, oneMore(limits.capacity()));
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
            if (owner.getValue() > limits.perOwner()) {
                throw new ThumbnailException(ErrorCode.INVALID_REQUEST, "these " + owner.getValue() + " jobs are"
                        + " more than '" + owner.getKey() + "' may have queued (" + limits.perOwner()
                        + ", its share of the queue); send them in parts of at most " + limits.perOwner());
            }
            long owners = counter.count(QUEUED_OF, owner.getKey(), oneMore(limits.perOwner()));
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
