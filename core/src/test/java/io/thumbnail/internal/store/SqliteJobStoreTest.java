package io.thumbnail.internal.store;

import io.thumbnail.Job;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The store contract on a real SQLite file. */
class SqliteJobStoreTest extends JobStoreContract {
    @TempDir
    Path dir;

    @Override
    JobStore openStore(Consumer<Job> changes) {
        return SqliteJobStore.open(dir.resolve("jobs.db"), StoreFixtures.T0, changes);
    }
}
