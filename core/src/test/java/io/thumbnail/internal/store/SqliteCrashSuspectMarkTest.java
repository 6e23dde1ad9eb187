package io.thumbnail.internal.store;

import io.thumbnail.Job;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.StoreFixtures.T0;

/** The crash suspect mark contract on a real SQLite file. */
class SqliteCrashSuspectMarkTest extends CrashSuspectMarkContract {
    @TempDir
    Path dir;

    @Override
    protected JobStore openStore(Consumer<Job> changes) {
        return SqliteJobStore.open(dir.resolve("jobs.db"), T0, changes);
    }
}
