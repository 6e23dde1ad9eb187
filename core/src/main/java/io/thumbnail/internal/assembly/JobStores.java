package io.thumbnail.internal.assembly;

import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.OpenFailure;
import io.thumbnail.internal.store.OpeningChecks;
import io.thumbnail.internal.store.SqliteJobStore;
import io.thumbnail.internal.store.postgres.PostgresDatabase;
import io.thumbnail.internal.store.postgres.PostgresJobStore;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Opens the job store a service is configured with: SQLite in the data directory (the default), or the PostgreSQL
 * database a JDBC URL names, which several nodes share. The PostgreSQL store and its driver are loaded only in the
 * second case, so the default start does nothing more for their being there.
 */
public final class JobStores {
    /**
     * @param databaseUrl         a PostgreSQL JDBC URL, or null for SQLite ({@code jobs.db} in {@code dataDir})
     * @param nodeId              the name this node holds its jobs' leases under
     * @param syncAcknowledged    SQLite: false commits accepted and deleted jobs without forcing them (benchmarks)
     * @param acceptEmptyDatabase start on an empty database although the blob store holds images
     * @param quarantineGrace     how long unreferenced files wait in the quarantine, as a message says it
     */
    public record Settings(String databaseUrl, Path dataDir, String nodeId, boolean syncAcknowledged,
                           boolean acceptEmptyDatabase, String quarantineGrace) {
    }

    private JobStores() {
    }

    /**
     * Opens (creating and migrating if needed) the configured store, refusing an empty one while the blob store holds
     * {@code storedFiles} images, unless accepted ({@link OpeningChecks#requireDatabaseForStoredFiles}).
     *
     * @param changes told of every change this node commits ({@link JobStore})
     */
    public static JobStore open(Settings settings, Instant now, int storedFiles, Consumer<Job> changes,
                                StoreHealth health) {
        if (settings.databaseUrl() == null) {
            Path file = settings.dataDir().resolve("jobs.db");
            OpeningChecks.requireDatabaseForStoredFiles(file, storedFiles, settings.acceptEmptyDatabase(),
                    settings.quarantineGrace());
            return SqliteJobStore.open(file, now, changes, health, settings.syncAcknowledged());
        }
        JobStore store = PostgresJobStore.open(settings.databaseUrl(), settings.nodeId(), true, changes, health);
        try {
            requireJobsForStoredFiles(store, settings, storedFiles);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Refuses a store of {@code settings}' database that holds no job while the blob store holds {@code storedFiles}
     * images, unless accepted: for a store opened before its blob store (whose pins it keeps).
     */
    public static void requireJobsForStoredFiles(JobStore store, Settings settings, int storedFiles) {
        if (storedFiles > 0) {
            OpeningChecks.requireDatabaseForStoredFiles(PostgresDatabase.mask(settings.databaseUrl()),
                    "the database", store.list(JobQuery.all().withLimit(1)).items().isEmpty(), storedFiles,
                    settings.acceptEmptyDatabase(), settings.quarantineGrace());
        }
    }
}
