package io.thumbnail.internal.blob;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@link BlobRemovals} of {@link LocalBlobStore}: each removal decided under the store's {@link Pins}, a file
 * deleted or moved to the {@link Quarantine} (and back), and the stored hashes listed by a walk of the prefix folders
 * that also deletes the temporary files of writes a crash cut short.
 */
final class LocalRemovals implements BlobRemovals {
    private final Path root;
    private final Pins pins;
    private final Function<String, Path> home;
    private final DiskFailures failures;
    private final Quarantine quarantine;
    /** What opening the store found, kept for the first sweep (at start, before anything is written); then null. */
    private final AtomicReference<BlobStore.Listing> foundAtOpen;

    /**
     * The removals of the store under {@code root}, whose file of a hash {@code home} names; {@code foundAtOpen} is
     * what the walk at opening found. Counts what the quarantine holds.
     */
    LocalRemovals(Path root, Pins pins, Function<String, Path> home, DiskFailures failures,
                  BlobStore.Listing foundAtOpen) throws IOException {
        this.root = root;
        this.pins = pins;
        this.home = home;
        this.failures = failures;
        this.quarantine = new Quarantine(root.resolve(Quarantine.FOLDER));
        this.foundAtOpen = new AtomicReference<>(foundAtOpen);
    }

    @Override
    public boolean deleteIfUnreferenced(String sha256, Predicate<String> referenced) {
        if (sha256 == null) {
            return false;
        }
        return pins.removeIfUnused(sha256, referenced, k -> DurableFiles.deleteQuietly(home.apply(k)));
    }

    @Override
    public boolean quarantineIfUnreferenced(String sha256, Predicate<String> referenced, Instant now) {
        return pins.removeIfUnused(sha256, referenced, k -> {
            try {
                quarantine.take(home.apply(k), k, now);
                return true;
            } catch (NoSuchFileException e) {
                // Deleted meanwhile (its job was deleted): nothing to keep.
                return false;
            } catch (IOException e) {
                throw failures.failed("could not move " + home.apply(k) + " to " + quarantine.root(), e);
            }
        });
    }

    @Override
    public int restoreQuarantined(Predicate<String> referenced) {
        try {
            return quarantine.restore(referenced, home);
        } catch (IOException e) {
            throw failures.failed("could not restore files from " + quarantine.root(), e);
        }
    }

    @Override
    public int emptyQuarantine(Instant cutoff) {
        try {
            return quarantine.empty(cutoff);
        } catch (IOException e) {
            throw failures.failed("could not empty " + quarantine.root(), e);
        }
    }

    @Override
    public long quarantined() {
        return quarantine.files();
    }

    /**
     * In one walk of the store, deletes the temporary files whose hash is not pinned (left by a crash mid-write) and
     * lists the stored hashes. The first call after opening returns what opening found instead of walking again.
     */
    @Override
    public BlobStore.Listing sweepLeftoversAndList() {
        BlobStore.Listing atOpen = foundAtOpen.getAndSet(null);
        if (atOpen != null) {
            return atOpen;
        }
        try {
            return PrefixFolders.walk(root, pins, false, true);
        } catch (IOException e) {
            throw failures.failed("could not list " + root, e);
        }
    }
}
