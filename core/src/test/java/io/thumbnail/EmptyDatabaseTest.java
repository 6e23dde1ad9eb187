package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database that is missing or empty while the blob folder holds images (deleted, truncated, not restored with the
 * files) must not cost an image: the start is refused unless accepted, and accepted, the images wait in the
 * quarantine for a restored database to claim them back.
 */
class EmptyDatabaseTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(32, 32);

    @TempDir
    Path dir;
    private ThumbnailService service;
    private final MutableClock clock = MutableClock.startingNow();

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    /** Two done jobs (two originals, two thumbnails on disk), then closed. */
    private List<Job> twoDoneJobsThenClosed() {
        try (ThumbnailService first = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withStartWorkers(false))
                .build()) {
            Job a = first.submit(ImageSource.of(TestImages.png(60, 40, 1), "a.png"), SPEC, SubmitOptions.defaults());
            Job b = first.submit(ImageSource.of(TestImages.png(60, 40, 2), "b.png"), SPEC, SubmitOptions.defaults());
            first.assembly().byHand().processNext();
            first.assembly().byHand().processNext();
            return List.of(first.get(a.id()).orElseThrow(), first.get(b.id()).orElseThrow());
        }
    }

    private void deleteDatabase() throws IOException {
        for (String name : List.of("jobs.db", "jobs.db-wal", "jobs.db-shm")) {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    private Set<String> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static Set<String> hashesOf(List<Job> jobs) {
        return jobs.stream().flatMap(j -> Stream.of(j.source().sha256(), j.result().sha256()))
                .collect(Collectors.toSet());
    }

    @Test
    void a_deleted_database_with_images_in_the_blob_folder_is_refused_naming_the_situation_and_the_way_out()
            throws IOException {
        List<Job> jobs = twoDoneJobsThenClosed();
        deleteDatabase();

        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withStartWorkers(false)).build())
                .as("starting on a deleted database").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("blobs/ holds 4 image files")
                .hasMessageContaining("jobs.db is missing or empty")
                .hasMessageContaining("--accept-empty-database")
                .hasMessageContaining("acceptEmptyDatabase(true)");
        assertThat(filesUnder(dir.resolve("blobs"))).as("every image kept").isEqualTo(hashesOf(jobs));
    }

    @Test
    void a_truncated_database_with_images_in_the_blob_folder_is_refused() throws IOException {
        twoDoneJobsThenClosed();
        Files.write(dir.resolve("jobs.db"), new byte[0]);
        Files.deleteIfExists(dir.resolve("jobs.db-wal"));

        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing or empty");
        assertThat(Files.size(dir.resolve("jobs.db"))).as("the database was left as it was found").isZero();
    }

    @Test
    void an_accepted_empty_database_keeps_the_images_in_the_quarantine_and_a_restored_backup_gets_them_back()
            throws IOException {
        List<Job> jobs = twoDoneJobsThenClosed();
        Path backup = Files.copy(dir.resolve("jobs.db"), dir.resolve("backup.db"));
        deleteDatabase();

        service = ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withStartWorkers(false))
                .acceptEmptyDatabase(true)
                .build();

        assertThat(service.stats().quarantinedFiles()).as("files quarantined at the accepted start").isEqualTo(4);
        assertThat(filesUnder(dir.resolve("blobs").resolve("quarantine"))).as("the quarantine")
                .isEqualTo(hashesOf(jobs));
        service.close();
        service = null;
        deleteDatabase();
        Files.move(backup, dir.resolve("jobs.db"), StandardCopyOption.REPLACE_EXISTING);

        service = ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withStartWorkers(false)).build();

        for (Job job : jobs) {
            assertThat(service.thumbnailBytes(job.id())).as("thumbnail of %s after the restore", job.source().name())
                    .isNotEmpty();
        }
        assertThat(service.stats().quarantinedFiles()).as("files left in the quarantine").isZero();
    }

    @Test
    void an_empty_data_directory_starts_without_being_asked() {
        service = ThumbnailService.builder().dataDir(dir.resolve("new")).hooks(h -> h.withStartWorkers(false)).build();

        assertThat(service.stats().databaseIntact()).isTrue();
    }
}
