package io.thumbnail.internal.store;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Priority;
import io.thumbnail.ThumbnailSpec;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Job rows for store tests; the store never looks inside the image, so no image is needed. */
public final class StoreFixtures {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private StoreFixtures() {
    }

    public static Job queued(Instant createdAt) {
        return queued(createdAt, (String) null);
    }

    public static Job queued(Instant createdAt, String owner) {
        UUID id = UUID.randomUUID();
        return Job.builder().id(id).status(JobStatus.QUEUED).spec(ThumbnailSpec.box(100, 100))
                .source(source(id.toString())).createdAt(createdAt).owner(owner).build();
    }

    public static Job queued(Instant createdAt, Priority priority) {
        return queued(createdAt).toBuilder().priority(priority).build();
    }

    /** A new queued job with the spec and source of {@code job} (and no owner unless given). */
    public static Job twinOf(Job job, ThumbnailSpec spec, String owner) {
        return job.toBuilder().id(UUID.randomUUID()).spec(spec).owner(owner).build();
    }

    public static JobSource source(String seed) {
        return new JobSource("a.jpg", 1234, ImageFormat.JPEG, 640, 480, sha(seed));
    }

    /** A well-formed, distinct sha256-like hex string. */
    public static String sha(String seed) {
        String hex = String.format(Locale.ROOT, "%064x", new java.math.BigInteger(1, seed.getBytes()).mod(
                java.math.BigInteger.TWO.pow(256)));
        return hex.substring(hex.length() - 64);
    }
}
