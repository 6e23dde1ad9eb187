package io.thumbnail.internal.worker;

import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.MutableClock;
import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.internal.blob.LocalBlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.SqliteJobStore;
import io.thumbnail.internal.store.StoreFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping a pool's claims while a worker is in the middle of one: the claim is waited for, so nothing is claimed once
 * {@link WorkerPool#stopClaiming()} has returned. A real SQLite store whose claims can be held at the database; the
 * worker is the pool's own thread.
 */
class WorkerPoolTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final SourceInfo SOURCE = new SourceInfo(ImageFormat.JPEG, 640, 480, 1234,
            StoreFixtures.sha("original"));

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final CountDownLatch claimStarted = new CountDownLatch(1);
    private final CountDownLatch claimMayFinish = new CountDownLatch(1);
    private final AtomicInteger claims = new AtomicInteger();
    private JobStore real;
    private LocalBlobStore blobs;
    private WorkerPool pool;

    @BeforeEach
    void open() {
        real = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { });
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        JobRunner runner = new JobRunner(heldClaims(), blobs, new RecentOriginals(RecentOriginals.DEFAULT_BUDGET),
                (source, spec) -> new Thumbnail(new byte[]{1, 2, 3}, ImageFormat.PNG, 2, 2, SOURCE), clock, "node-1",
                Duration.ofSeconds(30), Duration.ofMinutes(5), 3,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(64)), null, id -> { }, Runnable::run,
                Duration.ofMinutes(1), StorageHealth.of(clock), wait -> { });
        pool = new WorkerPool(runner, 1, Duration.ofSeconds(1), 0);
    }

    @AfterEach
    void close() {
        claimMayFinish.countDown();
        pool.stop(BOUND);
        blobs.close();
        real.close();
    }

    /** The real store, but each claim of a first job waits at the database until the test lets it finish. */
    private JobStore heldClaims() {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[]{JobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("claimNext")) {
                        claims.incrementAndGet();
                        claimStarted.countDown();
                        assertThat(claimMayFinish.await(BOUND.toSeconds(), TimeUnit.SECONDS))
                                .as("the test let the claim finish").isTrue();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private UUID queued() {
        Job job = StoreFixtures.queued(T0);
        blobs.write(job.source().sha256(), new byte[(int) job.source().bytes()]);
        real.insert(null, List.of(job), new JobStore.QueueLimits(10, 10));
        return job.id();
    }

    @Test
    void stopping_claims_waits_for_a_claim_under_way_and_nothing_is_claimed_after() throws Exception {
        UUID first = queued();
        UUID second = queued();
        pool.start();
        assertThat(claimStarted.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the worker began a claim").isTrue();

        Thread stopper = new Thread(pool::stopClaiming, "test-stop-claiming");
        stopper.start();
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (stopper.getState() != Thread.State.TIMED_WAITING && stopper.isAlive()
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(stopper.isAlive()).as("stopClaiming, while a claim is under way, has not returned").isTrue();

        claimMayFinish.countDown();
        stopper.join(BOUND.toMillis());
        assertThat(stopper.isAlive()).as("stopClaiming, once the claim is over, has returned").isFalse();
        int claimsWhenStopped = claims.get();
        assertThat(pool.stop(BOUND)).as("the worker finished the job it had claimed").isTrue();

        assertThat(claims.get()).as("claims begun, none after stopClaiming returned").isEqualTo(claimsWhenStopped)
                .isEqualTo(1);
        assertThat(real.get(first).orElseThrow().status()).as("the job claimed before the stop")
                .isEqualTo(JobStatus.DONE);
        assertThat(real.get(second).orElseThrow().status()).as("the job queued behind it")
                .isEqualTo(JobStatus.QUEUED);
    }
}
