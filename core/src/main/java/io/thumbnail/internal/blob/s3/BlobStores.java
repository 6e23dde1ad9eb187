package io.thumbnail.internal.blob.s3;

import io.thumbnail.internal.blob.BlobGuard;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.LocalBlobStore;
import io.thumbnail.internal.blob.Pins;
import io.thumbnail.internal.health.StoreHealth;

import java.nio.file.Path;

/**
 * The service's blob store, as configured: {@code blobs/} in the data directory, or the bucket at an {@link S3Location}
 * (uploads then arrive in {@code incoming/} of the data directory). Nothing of the S3 SDK is loaded for the first.
 */
public final class BlobStores {
    private BlobStores() {
    }

    /**
     * Opens the store for a service that alone uses its data directory and, with it, the bucket's prefix: its pins
     * are kept in this process.
     *
     * @param s3 the bucket, or null for the local disk
     */
    public static BlobStore open(S3Location s3, Path dataDir, StoreHealth health) {
        return open(s3, dataDir, health, new Pins());
    }

    /**
     * Opens the store, deciding deletions under {@code guard}: pins in a database nodes share, when several use the
     * bucket. The local disk is one process's, so it keeps its own pins.
     */
    public static BlobStore open(S3Location s3, Path dataDir, StoreHealth health, BlobGuard guard) {
        if (s3 == null) {
            return new LocalBlobStore(dataDir.resolve("blobs"), health);
        }
        return S3BlobStore.open(s3, dataDir.resolve("incoming"), health, guard);
    }
}
