package io.thumbnail.internal.store;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The causes a test cannot provoke on a machine where it runs as root (permission denied) or with room on the disk
 * (disk full), given as the exceptions the JDK and SQLite raise for them; the others are provoked for real by the
 * server's {@code MainTest} and the service's tests.
 */
class OpenFailureTest {
    private static final Path DATA = Path.of("/srv/thumbs/data");

    private static String message(Throwable cause) {
        return OpenFailure.of(DATA, new ThumbnailException(ErrorCode.IO_ERROR, "could not open " + DATA, cause))
                .getMessage();
    }

    @Test
    void permission_denied_names_the_file_and_the_user() {
        assertThat(message(new AccessDeniedException("/srv/thumbs/data/lock"))).isEqualTo(
                "could not open the data directory /srv/thumbs/data: permission denied on lock (running as user "
                        + System.getProperty("user.name") + ")");
    }

    @Test
    void permission_denied_on_the_directory_itself_needs_no_file_name() {
        assertThat(message(new AccessDeniedException("/srv/thumbs/data"))).isEqualTo(
                "could not open the data directory /srv/thumbs/data: permission denied (running as user "
                        + System.getProperty("user.name") + ")");
    }

    @Test
    void a_full_disk_says_the_disk_is_full() {
        assertThat(message(new FileSystemException("/srv/thumbs/data/blobs/ab", null, "No space left on device")))
                .isEqualTo("could not open the data directory /srv/thumbs/data: the disk is full (no space left on"
                        + " the device writing blobs/ab)");
    }

    @Test
    void a_database_error_on_a_disk_without_room_is_named_a_full_disk_whatever_sqlite_said() {
        RuntimeException rollback = new ThumbnailException(ErrorCode.IO_ERROR, "could not open " + DATA,
                new SQLiteException("[SQLITE_ERROR] SQL error or missing database (cannot rollback - no transaction is"
                        + " active)", SQLiteErrorCode.SQLITE_ERROR));

        assertThat(OpenFailure.of(DATA, rollback, () -> 0).getMessage()).as("no room left")
                .isEqualTo("could not open the data directory /srv/thumbs/data: the disk is full (0 bytes free; SQLite"
                        + " reported: [SQLITE_ERROR] SQL error or missing database (cannot rollback - no transaction is"
                        + " active))");
        assertThat(OpenFailure.of(DATA, rollback, () -> OpenFailure.LOW_SPACE).getMessage()).as("room left")
                .endsWith(": jobs.db: [SQLITE_ERROR] SQL error or missing database (cannot rollback - no transaction is"
                        + " active)");
    }

    @Test
    void sqlite_result_codes_become_words() {
        assertThat(message(new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL)))
                .endsWith(": the disk is full (SQLite could not write jobs.db)");
        assertThat(message(new SQLiteException("[SQLITE_READONLY]", SQLiteErrorCode.SQLITE_READONLY)))
                .endsWith(": jobs.db is read-only");
        assertThat(message(new SQLiteException("[SQLITE_CORRUPT]", SQLiteErrorCode.SQLITE_CORRUPT)))
                .endsWith(": jobs.db is damaged (SQLite reports it corrupt)");
    }

    @Test
    void the_kind_of_failure_is_kept_and_a_bug_is_left_alone() {
        RuntimeException inUse = OpenFailure.of(DATA, new IllegalStateException("it is in use"));
        RuntimeException pool = OpenFailure.of(DATA, new RuntimeException("Failed to initialize pool",
                new SQLiteException("[SQLITE_NOTADB]", SQLiteErrorCode.SQLITE_NOTADB)));
        NullPointerException bug = new NullPointerException();

        assertThat(inUse).isInstanceOf(IllegalStateException.class)
                .hasMessage("could not open the data directory /srv/thumbs/data: it is in use");
        assertThat(pool).isInstanceOf(ThumbnailException.class)
                .hasMessageEndingWith(": jobs.db is not a SQLite database (another file, or a damaged one)");
        assertThat(((ThumbnailException) pool).code()).isEqualTo(ErrorCode.IO_ERROR);
        assertThat(OpenFailure.of(DATA, bug)).as("an unexpected failure is not reworded").isSameAs(bug);
    }

    @Test
    void any_other_io_failure_keeps_its_reason() {
        assertThat(message(new FileSystemException("/srv/thumbs/data/jobs.db", null, "Input/output error")))
                .endsWith(": jobs.db: input/output error");
        assertThat(message(new IOException("Stale file handle"))).as("no file system exception: the innermost message")
                .endsWith(": Stale file handle");
    }
}
