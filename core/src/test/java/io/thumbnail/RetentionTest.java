package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Time-to-live and the sweep of files no row references. */
class RetentionTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(16, 16);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private ThumbnailService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private ThumbnailService open(Duration ttl) {
        service = ThumbnailService.builder().dataDir(dir).clock(clock).startWorkers(false).ttl(ttl).build();
        return service;
    }

    private Job done(byte[] image, ThumbnailSpec spec) {
        Job job = service.submit(ImageSource.of(image, "a.png"), spec);
        service.processNext();
        return service.get(job.id()).orElseThrow();
    }

    private Set<String> storedHashes() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void janitor_deletes_jobs_past_their_ttl_with_their_files() throws IOException {
        open(Duration.ofHours(1));
        Job old = done(TestImages.png(40, 40, 1), SPEC);
        clock.advance(Duration.ofMinutes(30));
        Job recent = done(TestImages.png(40, 40, 2), SPEC);
        clock.advance(Duration.ofMinutes(31));

        assertThat(service.runJanitor().jobsDeleted()).as("jobs deleted").isEqualTo(1);

        assertThat(service.get(old.id())).as("job past its ttl").isEmpty();
        assertThat(service.get(recent.id())).as("job within its ttl").isPresent();
        assertThat(storedHashes()).as("files left")
                .containsExactlyInAnyOrder(recent.source().sha256(), recent.result().sha256());
    }

    @Test
    void janitor_keeps_files_a_live_job_still_uses() throws IOException {
        open(Duration.ofHours(1));
        byte[] image = TestImages.png(40, 40, 1);
        Job old = done(image, SPEC);
        clock.advance(Duration.ofMinutes(59));
        Job recent = done(image, ThumbnailSpec.box(8, 8));
        clock.advance(Duration.ofMinutes(2));

        service.runJanitor();

        assertThat(service.get(old.id())).as("expired job").isEmpty();
        assertThat(storedHashes()).as("files left")
                .containsExactlyInAnyOrder(recent.source().sha256(), recent.result().sha256());
    }

    @Test
    void without_ttl_jobs_are_kept_forever() {
        open(null);
        Job job = done(TestImages.png(40, 40, 1), SPEC);
        clock.advance(Duration.ofDays(3650));

        assertThat(service.runJanitor().jobsDeleted()).as("jobs deleted").isZero();
        assertThat(service.get(job.id())).isPresent();
    }

    @Test
    void sweep_removes_files_no_row_references() throws IOException {
        open(null);
        Job job = done(TestImages.png(40, 40, 1), SPEC);
        // What a crash between writing a file and committing its row leaves behind:
        String stray = Thumbnailer.sha256(new byte[] {1, 2, 3});
        Path strayFile = dir.resolve("blobs").resolve(stray.substring(0, 2));
        Files.createDirectories(strayFile);
        Files.write(strayFile.resolve(stray), new byte[] {1, 2, 3});
        Files.write(strayFile.resolve(stray + ".0b1c.tmp"), new byte[] {1});

        assertThat(service.runJanitor().filesDeleted()).as("files deleted").isEqualTo(2);

        assertThat(storedHashes()).as("files left")
                .containsExactlyInAnyOrder(job.source().sha256(), job.result().sha256());
    }

    @Test
    void files_left_by_a_crash_are_swept_on_the_next_start() throws IOException {
        open(null).close();
        String stray = Thumbnailer.sha256(new byte[] {9});
        Path folder = Files.createDirectories(dir.resolve("blobs").resolve(stray.substring(0, 2)));
        Files.write(folder.resolve(stray), new byte[] {9});

        open(null);

        assertThat(storedHashes()).as("files after restart").isEmpty();
    }
}
