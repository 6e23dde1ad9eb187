package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One service per data directory, even when something deletes the lock file under a running one (a cleanup script):
 * a starting service also makes sure no other process has the database open, and the database cannot be replaced
 * without losing the data with it.
 */
class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void a_second_process_is_refused_even_after_the_lock_file_was_deleted() throws Exception {
        Path dataDir = dir.resolve("data");
        Process first = startHolder(dataDir);
        try {
            ChildJvm.awaitLine(first, "started", Duration.ofSeconds(60), dir.resolve("child.err"));
            Files.delete(dataDir.resolve("lock"));

            assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dataDir).hooks(h -> h.withStartWorkers(false))
                    .build())
                    .as("a second service on the data directory of a running one whose lock file was deleted")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("could not open the data directory " + dataDir.toAbsolutePath() + ": jobs.db is in"
                            + " use elsewhere (by a thumbnail service whose lock file was deleted, or by a tool such as"
                            + " sqlite3); one service per data directory");
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("first service exited").isTrue();
        }
        try (ThumbnailService second = ThumbnailService.builder().dataDir(dataDir).hooks(h -> h.withStartWorkers(false))
                .build()) {
            assertThat(second.stats().databaseOk()).as("the data directory once the first service is gone").isTrue();
        }
    }

    @Test
    void a_second_service_in_the_same_process_is_refused_after_the_lock_file_was_deleted() throws IOException {
        try (ThumbnailService first = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .build()) {
            Files.delete(dir.resolve("lock"));

            assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                    .build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
            assertThat(first.stats().databaseOk()).as("the first service goes on").isTrue();
        }
    }

    @Test
    void a_second_service_refused_in_the_same_process_leaves_the_first_its_lock() throws Exception {
        Path dataDir = dir.resolve("data");
        try (ThumbnailService first = ThumbnailService.builder().dataDir(dataDir).hooks(h -> h.withStartWorkers(false))
                .build()) {
            assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dataDir).hooks(h -> h.withStartWorkers(false))
                    .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another thumbnail service in this process");

            ChildJvm.Run other = ChildJvm.run(LockHolderChild.class, "128m", dataDir.toString());

            assertThat(other.output()).as("a service started in another process after the refusal here: refused by"
                    + " the lock, which still names this process")
                    .contains("in use by another thumbnail service (process " + ProcessHandle.current().pid() + ")");
            assertThat(first.stats().databaseOk()).as("the first service goes on").isTrue();
        }
    }

    @Test
    void a_deleted_lock_file_is_made_and_locked_again_while_the_service_runs() throws IOException {
        try (ThumbnailService service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .build()) {
            Files.delete(dir.resolve("lock"));

            assertThat(service.assembly().byHand().verifyLock()).as("the lock file had to be made again").isTrue();

            assertThat(dir.resolve("lock")).as("the lock file, naming its holder for a refused start")
                    .hasContent(ProcessHandle.current().pid() + "\n");
            try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.WRITE)) {
                assertThatThrownBy(channel::tryLock).as("locking the new lock file, as an earlier version would")
                        .isInstanceOf(OverlappingFileLockException.class);
            }
            assertThat(service.assembly().byHand().verifyLock()).as("nothing to do while the lock file is in place")
                    .isFalse();
        }
    }

    private Process startHolder(Path dataDir) throws IOException {
        return ChildJvm.start(LockHolderChild.class, "128m", dir.resolve("child.err"), dataDir.toString());
    }
}
