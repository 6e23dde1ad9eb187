package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job database holds the secret signed URLs and webhook signatures come from: no other local user may read it.
 * (The tests run on Linux, whose file systems have POSIX permissions.)
 */
class DataDirPermissionsTest {
    @TempDir
    Path dir;

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void a_data_directory_the_service_creates_and_its_database_are_its_user_s_alone() throws IOException {
        Path data = dir.resolve("new/data");
        try (ThumbnailService service = ThumbnailService.builder().dataDir(data)
                .hooks(h -> h.withStartWorkers(false)).build()) {
            service.submit(ImageSource.of(TestImages.png(30, 20, 1), "a.png"), ThumbnailSpec.box(10, 10),
                    SubmitOptions.defaults());

            assertThat(permissions(data)).as("the data directory").isEqualTo("rwx------");
            assertThat(permissions(dir.resolve("new"))).as("its parent, made for it").isEqualTo("rwx------");
            for (String file : new String[] {"jobs.db", "jobs.db-wal", "jobs.db-shm", "lock"}) {
                assertThat(permissions(data.resolve(file))).as(file).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void a_database_others_could_read_is_made_its_owner_s_alone_when_opened() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        String made = permissions(data);
        ThumbnailService.builder().dataDir(data).hooks(h -> h.withStartWorkers(false)).build().close();
        Files.setPosixFilePermissions(data.resolve("jobs.db"), PosixFilePermissions.fromString("rw-r--r--"));

        try (ThumbnailService service = ThumbnailService.builder().dataDir(data)
                .hooks(h -> h.withStartWorkers(false)).build()) {
            assertThat(permissions(data.resolve("jobs.db"))).as("jobs.db once opened again").isEqualTo("rw-------");
            assertThat(permissions(data)).as("a data directory the operator made: left as it was")
                    .isEqualTo(made);
        }
    }
}
