package io.thumbnail.internal.store.postgres;

import io.thumbnail.Job;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.CrashSuspectMarkContract;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.BeforeAll;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The crash suspect mark contract on a real PostgreSQL: each test on a fresh schema of this class's database, with
 * leases measured from the times the tests give.
 */
class PostgresCrashSuspectMarkTest extends CrashSuspectMarkContract {
    private static final AtomicInteger schemas = new AtomicInteger();
    private static String database;

    @BeforeAll
    static void database() {
        database = TestPostgres.get().newDatabase("suspects");
    }

    @Override
    protected JobStore openStore(Consumer<Job> changes) {
        return PostgresJobStore.open(PostgresFixtures.freshSchema(database, "c" + schemas.incrementAndGet()),
                "test-node", false, changes, new StoreHealth("the job database", Clock.systemUTC()));
    }
}
