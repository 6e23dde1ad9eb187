package io.thumbnail.internal.store.postgres;

import io.thumbnail.Callback;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.JobStore.CallbackSubject;
import io.thumbnail.internal.store.StoreFixtures;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a shared PostgreSQL the time until a pending webhook's retry is the database's to measure: a node whose own
 * clock is far ahead or behind still waits for the retry as long as the database will (a node that ran it early would
 * find its claim refused, one that waited late would hold the webhook back).
 */
class PostgresCallbackClockTest {
    private static final Duration RETRY_IN = Duration.ofMinutes(10);
    private static final URI HOOK = URI.create("https://hooks.example.com/thumbnails");
    private JobStore store;

    @BeforeEach
    void open() {
        String url = PostgresFixtures.freshSchema(TestPostgres.get().newDatabase("callbackclock"), "clock");
        store = PostgresJobStore.open(url, "test-node", true, job -> { },
                new StoreHealth("the job database", Clock.systemUTC()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_retrys_wait_is_measured_by_the_database_whatever_the_nodes_clock_says() {
        Job job = StoreFixtures.queued(T0).toBuilder().callback(Callback.pending(HOOK)).build();
        store.insert(null, List.of(job), new JobStore.QueueLimits(10, 10));
        store.claimNext("test-node", T0, Duration.ofSeconds(30), Duration.ofMinutes(5)).orElseThrow();
        store.complete(job.id(), "test-node", new JobResult(ImageFormat.PNG, 1, 1, 1, StoreFixtures.sha("t")), T0)
                .orElseThrow();
        CallbackSubject subject = CallbackSubject.job(job.id());
        store.callbacks().record(subject, Callback.pending(HOOK).retrying("HTTP 500"), T0, RETRY_IN);

        Instant now = Instant.now();
        for (Instant nodeNow : List.of(now.plus(Duration.ofHours(1)), now.minus(Duration.ofHours(1)))) {
            Duration dueIn = store.callbacks().pending(nodeNow).get(0).dueIn();
            assertThat(dueIn).as("time until the retry, asked by a node whose clock says " + nodeNow)
                    .isBetween(RETRY_IN.minusMinutes(1), RETRY_IN);
        }
    }
}
