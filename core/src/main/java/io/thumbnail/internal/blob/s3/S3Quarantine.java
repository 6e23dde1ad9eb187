package io.thumbnail.internal.blob.s3;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Blobs no job refers to, kept a while in the bucket before they are deleted, under {@code quarantine/<when>/}: the
 * same grace as on the local disk, so that a database that lost its rows costs no image. S3 has no rename: a blob is
 * quarantined by a copy and a delete (made under the hash's lock, so no job can come to need it meanwhile), and comes
 * back the same way. The quarantine is small (what the sweep finds in a grace period), so it is listed whole to empty
 * or restore it, and counted as it is listed.
 */
final class S3Quarantine {
    private static final int PAGE = 1000;

    private final S3Bucket bucket;
    private final S3Keys keys;
    /** Blobs quarantined, as this node last counted: each listing counts again, so other nodes' moves show up. */
    private final AtomicLong count = new AtomicLong();

    S3Quarantine(S3Bucket bucket, S3Keys keys) {
        this.bucket = bucket;
        this.keys = keys;
    }

    /** Counts the quarantined blobs (at opening). */
    void count() {
        count.set(listAll().size());
    }

    long blobs() {
        return Math.max(0, count.get());
    }

    /** Moves the blob of {@code sha256} in, under the time {@code now}; false if it is not stored (deleted meanwhile). */
    boolean take(String sha256, Instant now) {
        if (!bucket.copy(keys.home(sha256), keys.quarantined(sha256, now))) {
            return false;
        }
        bucket.delete(keys.home(sha256));
        count.incrementAndGet();
        return true;
    }

    /** Moves every quarantined blob {@code wanted} accepts back; returns how many came back. */
    int restore(Predicate<String> wanted) {
        List<S3Keys.Quarantined> all = listAll();
        int restored = 0;
        int left = all.size();
        for (S3Keys.Quarantined blob : all) {
            if (!wanted.test(blob.sha256())) {
                continue;
            }
            String home = keys.home(blob.sha256());
            // A blob stored again meanwhile is the same bytes: the quarantined copy just goes.
            if (!bucket.exists(home) && bucket.copy(blob.key(), home)) {
                restored++;
            }
            bucket.delete(blob.key());
            left--;
        }
        count.set(left);
        return restored;
    }

    /** Deletes the blobs quarantined before {@code cutoff}; returns how many. */
    int empty(Instant cutoff) {
        List<S3Keys.Quarantined> all = listAll();
        int deleted = 0;
        for (S3Keys.Quarantined blob : all) {
            if (blob.since().isPresent() && blob.since().get().isBefore(cutoff)) {
                bucket.delete(blob.key());
                deleted++;
            }
        }
        count.set(all.size() - deleted);
        return deleted;
    }

    private List<S3Keys.Quarantined> listAll() {
        List<S3Keys.Quarantined> all = new ArrayList<>();
        bucket.list(keys.quarantine(), PAGE, Integer.MAX_VALUE, key -> {
            keys.quarantinedOf(key).ifPresent(all::add);
            return true;
        });
        return all;
    }
}
