package io.thumbnail.internal.store;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailSpec;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Job rows for store tests; the store never looks inside the image, so no image is needed. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private StoreFixtures() {
    }

    static Job queued(Instant createdAt) {
        return queued(createdAt, null);
    }

    static Job queued(Instant createdAt, String owner) {
        UUID id = UUID.randomUUID();
        return new Job(id, JobStatus.QUEUED, ThumbnailSpec.box(100, 100), source(id.toString()), null, null, 0,
                createdAt, null, null, null, owner);
    }

    static JobSource source(String seed) {
        return new JobSource("a.jpg", 1234, ImageFormat.JPEG, 640, 480, sha(seed));
    }

    /** A well-formed, distinct sha256-like hex string. */
    static String sha(String seed) {
        String hex = String.format(Locale.ROOT, "%064x", new java.math.BigInteger(1, seed.getBytes()).mod(
                java.math.BigInteger.TWO.pow(256)));
        return hex.substring(hex.length() - 64);
    }
}
