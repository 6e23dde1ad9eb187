package io.thumbnail.testing;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.ServiceDefaults;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.postgres.PostgresJobStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL job store's claim path with no image work, for the claim benchmark: the store the service uses
 * (pool, {@code SKIP LOCKED}, leases by the database's clock, notifications to other nodes), filled with jobs and
 * drained by claimers that complete each job as soon as they hold it.
 */
public final class ClaimPath implements AutoCloseable {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int INSERT_CHUNK = 1_000;

    private final JobStore store;

    private ClaimPath(JobStore store) {
        this.store = store;
    }

    /** The job store on the PostgreSQL database at {@code jdbcUrl}, migrated, under the node id {@code nodeId}. */
    public static ClaimPath open(String jdbcUrl, String nodeId) {
        return new ClaimPath(PostgresJobStore.open(jdbcUrl, nodeId, true, job -> { },
                new StoreHealth("the job database", Clock.systemUTC())));
    }

    /** Inserts {@code count} jobs, done ones or queued ones, in transactions of a thousand. */
    public void insert(int count, boolean done) {
        JobStore.QueueLimits limits = new JobStore.QueueLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);
        Instant now = Instant.now();
        for (int inserted = 0; inserted < count; inserted += INSERT_CHUNK) {
            List<Job> chunk = new ArrayList<>();
            for (int i = inserted; i < Math.min(count, inserted + INSERT_CHUNK); i++) {
                UUID id = UUID.randomUUID();
                Job.Builder job = Job.builder().id(id).status(done ? JobStatus.DONE : JobStatus.QUEUED)
                        .spec(ThumbnailSpec.box(100, 100))
                        .source(new JobSource("a.jpg", 1234, ImageFormat.JPEG, 640, 480, sha(id))).createdAt(now);
                if (done) {
                    job.result(result()).finishedAt(now).attempts(1);
                }
                chunk.add(job.build());
            }
            store.insert(null, chunk, limits);
        }
    }

    /** Claims and completes jobs as {@code node} until none is ready; returns how many it completed. */
    public long drain(String node) {
        JobResult result = result();
        long completed = 0;
        for (var claim = store.claimNext(node, Instant.now(), LEASE, ServiceDefaults.PRIORITY_AGING);
             claim.isPresent(); claim = store.claimNext(node, Instant.now(), LEASE, ServiceDefaults.PRIORITY_AGING)) {
            store.complete(claim.get().job().id(), node, result, Instant.now());
            completed++;
        }
        return completed;
    }

    @Override
    public void close() {
        store.close();
    }

    private static JobResult result() {
        return new JobResult(ImageFormat.JPEG, 100, 75, 999, sha(UUID.randomUUID()));
    }

    private static String sha(UUID id) {
        String hex = id.toString().replace("-", "");
        return hex + hex;
    }
}
