package io.thumbnail.internal.store;

import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * What a starting service checks before it trusts its database: that it has one when the blob folder says there was
 * one (a database deleted or truncated must not make every image look unreferenced), and that it is not damaged.
 */
public final class OpeningChecks {
    private static final Logger log = LoggerFactory.getLogger(OpeningChecks.class);
    /** The most problems a log line and the health report quote from {@code quick_check}. */
    private static final int PROBLEMS_SHOWN = 3;

    private OpeningChecks() {
    }

    /**
     * Refuses to start on a missing or empty database while the blob folder holds {@code storedFiles} images, unless
     * {@code acceptEmpty}: then those files go to the quarantine at the first sweep, and this is logged.
     *
     * @throws IllegalStateException naming the situation and the way to accept it
     */
    public static void requireDatabaseForStoredFiles(Path database, int storedFiles, boolean acceptEmpty,
                                                     String quarantineGrace) {
        if (storedFiles == 0) {
            return;
        }
        String name = database.getFileName().toString();
        requireDatabaseForStoredFiles(name, name, Database.isEmpty(database), storedFiles, acceptEmpty,
                quarantineGrace);
    }

    /**
     * As {@link #requireDatabaseForStoredFiles(Path, int, boolean, String)} for a database that is not a file: the
     * one {@code describe}d, found {@code empty} (no job at all) once opened.
     *
     * @param describe the database as the message names it ("the job database jdbc:postgresql://...")
     * @param restore  what to restore from a backup
     */
    public static void requireDatabaseForStoredFiles(String describe, String restore, boolean empty, int storedFiles,
                                                     boolean acceptEmpty, String quarantineGrace) {
        if (storedFiles == 0 || !empty) {
            return;
        }
        String files = storedFiles == 1 ? "1 image file" : storedFiles + " image files";
        if (!acceptEmpty) {
            throw new IllegalStateException("blobs/ holds " + files + " but the job database " + describe
                    + " is missing or empty (deleted, truncated, or not restored with the files?): started like this,"
                    + " no job would refer to any of them. Restore " + restore + " from a backup;"
                    + " or, to start with no jobs and keep the files in blobs/quarantine for " + quarantineGrace
                    + ", accept the empty database (the server's --accept-empty-database, the builder's"
                    + " acceptEmptyDatabase(true))");
        }
        log.warn("starting on an empty job database although blobs/ holds {} (accepted): they move to blobs/quarantine"
                + " and are deleted after {} unless a restored database refers to them again", files, quarantineGrace);
    }

    /**
     * Runs SQLite's {@code quick_check} on the store; problems found (or the check failing outright) mark the
     * database damaged in {@code health}, which the health report shows. Returns the problems.
     */
    public static List<String> checkIntegrity(JobStore store, StoreHealth health) {
        List<String> problems;
        try {
            problems = store.integrityProblems();
        } catch (StoreException e) {
            problems = List.of(e.getMessage());
        }
        if (!problems.isEmpty()) {
            health.damaged("quick_check found " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ": " + String.join("; ", problems.subList(0, Math.min(PROBLEMS_SHOWN, problems.size()))));
        }
        return problems;
    }
}
