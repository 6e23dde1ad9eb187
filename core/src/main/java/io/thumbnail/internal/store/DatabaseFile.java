package io.thumbnail.internal.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The job database's file, checked ({@link FileIdentity}) before every change. A file deleted under a running service (a cleanup script, a
 * mistaken {@code rm}) stays open, so every change would still succeed, into a file no restart could find: accepted
 * jobs lost with no sign. So once the file at the path is not the one opened, no change is taken (the store fails, the
 * service answers 503), and a deleted one is first written back as the open database stands, whose log is emptied
 * into it first so that no stale log is replayed onto the copy at the next start. A restart then goes on from there.
 */
final class DatabaseFile {
    private static final Logger log = LoggerFactory.getLogger(DatabaseFile.class);

    private final Path file;
    private final Object key;
    /** Why no change is taken any more; null while the file is in place. Guarded by the writer connection. */
    private volatile String gone;

    DatabaseFile(Path file) {
        this.file = file;
        this.key = FileIdentity.of(file);
    }

    /** Throws when the file at the path is no longer the one opened; {@code writer} is the store's only writer. */
    void checkInPlace(Connection writer) throws SQLException {
        if (gone == null && key != null) {
            Object now = FileIdentity.of(file);
            if (now == null || key.equals(now)) {
                return;
            }
            gone = now == FileIdentity.MISSING ? writeBack(writer)
                    : file + " was replaced by another file while the service ran; no more changes are taken: restart"
                    + " the service";
            log.error(gone);
        }
        if (gone != null) {
            throw new SQLException(gone);
        }
    }

    private String writeBack(Connection writer) {
        try (Statement st = writer.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            // SQLite's online backup, which unlike VACUUM INTO runs beside the statements kept prepared.
            writer.unwrap(SQLiteConnection.class).getDatabase().backup("main", file.toAbsolutePath().toString(), null);
            try {
                OwnerOnly.restrictDatabase(file); // it holds the secret signed URLs are derived from
            } catch (IOException e) {
                log.warn("could not make the written-back {} its owner's alone: {}", file, e.toString());
            }
            return file + " was deleted while the service ran; it was written back as it stood, and no more changes"
                    + " are taken: restart the service to go on with it";
        } catch (SQLException e) {
            return file + " was deleted while the service ran and could not be written back (" + e.getMessage()
                    + "); no more changes are taken";
        }
    }
}
