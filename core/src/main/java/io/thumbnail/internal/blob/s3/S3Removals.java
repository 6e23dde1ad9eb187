package io.thumbnail.internal.blob.s3;

import io.thumbnail.internal.blob.BlobGuard;
import io.thumbnail.internal.blob.BlobRemovals;
import io.thumbnail.internal.blob.BlobStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The {@link BlobRemovals} of {@link S3BlobStore}: each removal decided under the store's {@link BlobGuard} (pins in
 * this process, or in the database the nodes share), a blob deleted or moved to the {@link S3Quarantine} (and back),
 * and the stored hashes listed a page of the bucket at a time.
 */
final class S3Removals implements BlobRemovals {
    /** How many keys a page of a listing holds (S3's most). */
    static final int PAGE = 1000;

    private final S3Bucket bucket;
    private final S3Keys keys;
    private final BlobGuard guard;
    private final S3Quarantine quarantine;
    private final int leftoversAtOpen;
    private final AtomicBoolean firstSweep = new AtomicBoolean(true);

    /** {@code leftoversAtOpen}: how many uploads a crash had left in the local folder, deleted at opening. */
    S3Removals(S3Bucket bucket, S3Keys keys, BlobGuard guard, int leftoversAtOpen) {
        this.bucket = bucket;
        this.keys = keys;
        this.guard = guard;
        this.quarantine = new S3Quarantine(bucket, keys);
        this.leftoversAtOpen = leftoversAtOpen;
    }

    @Override
    public boolean deleteIfUnreferenced(String sha256, Predicate<String> referenced) {
        if (sha256 == null) {
            return false;
        }
        return guard.removeIfUnused(sha256, referenced, k -> {
            String key = keys.home(k);
            if (!bucket.exists(key)) {
                return false;
            }
            bucket.delete(key);
            return true;
        });
    }

    @Override
    public boolean quarantineIfUnreferenced(String sha256, Predicate<String> referenced, Instant now) {
        return guard.removeIfUnused(sha256, referenced, k -> quarantine.take(k, now));
    }

    @Override
    public int restoreQuarantined(Predicate<String> referenced) {
        return quarantine.restore(referenced);
    }

    @Override
    public int emptyQuarantine(Instant cutoff) {
        return quarantine.empty(cutoff);
    }

    @Override
    public long quarantined() {
        return quarantine.blobs();
    }

    /** Counts the quarantined blobs (at opening). */
    void countQuarantined() {
        quarantine.count();
    }

    /**
     * Lists every stored hash, a page of the bucket at a time. An S3 write leaves nothing behind when it is cut short,
     * so the only leftovers are uploads a crash left in the local folder, deleted at opening. The first call after
     * opening lists nothing (opening listed no more than a page): at start the service sweeps at once, and a start
     * should not wait for a listing of the whole bucket; the janitor's first run sweeps it.
     */
    @Override
    public BlobStore.Listing sweepLeftoversAndList() {
        if (firstSweep.getAndSet(false)) {
            return new BlobStore.Listing(List.of(), leftoversAtOpen);
        }
        List<String> hashes = new ArrayList<>();
        forEachBlob(Integer.MAX_VALUE, hashes::add);
        return new BlobStore.Listing(hashes, 0);
    }

    /** How many blobs the first page of the bucket's listing holds: at most {@value #PAGE}. */
    int countFirstPage() {
        int[] blobs = {0};
        forEachBlob(1, sha -> blobs[0]++);
        return blobs[0];
    }

    /** Gives {@code each} the hash of every blob on the first {@code pages} pages of the bucket's listing, in order. */
    private void forEachBlob(int pages, Consumer<String> each) {
        bucket.list(keys.prefix(), PAGE, pages, key -> {
            if (keys.pastBlobs(key)) {
                return false;
            }
            String sha = keys.hashOf(key);
            if (sha != null) {
                each.accept(sha);
            }
            return true;
        });
    }
}
