package io.thumbnail;

import io.thumbnail.internal.worker.Janitor;
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

/** Time-to-live, and the sweep of files no row references into the quarantine, emptied after its grace period. */
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
        service = ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withStartWorkers(false)).ttl(ttl)
                .build();
        return service;
    }

    private Job done(byte[] image, ThumbnailSpec spec) {
        Job job = service.submit(ImageSource.of(image, "a.png"), spec, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        return service.get(job.id()).orElseThrow();
    }

    /** The files in the store, the quarantine's excluded. */
    private Set<String> storedHashes() throws IOException {
        Path quarantine = quarantine();
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(quarantine))
                    .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private Set<String> quarantinedHashes() throws IOException {
        if (!Files.exists(quarantine())) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(quarantine())) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private Path quarantine() {
        return dir.resolve("blobs").resolve("quarantine");
    }

    /** What a crash between writing a file and committing its row leaves behind; returns its hash. */
    private String stray(byte[] bytes) throws IOException {
        String stray = Thumbnailer.sha256(bytes);
        Path folder = Files.createDirectories(dir.resolve("blobs").resolve(stray.substring(0, 2)));
        Files.write(folder.resolve(stray), bytes);
        return stray;
    }

    @Test
    void janitor_deletes_jobs_past_their_ttl_with_their_files() throws IOException {
        open(Duration.ofHours(1));
        Job old = done(TestImages.png(40, 40, 1), SPEC);
        clock.advance(Duration.ofMinutes(30));
        Job recent = done(TestImages.png(40, 40, 2), SPEC);
        clock.advance(Duration.ofMinutes(31));

        assertThat(service.assembly().byHand().runJanitor().jobsDeleted()).as("jobs deleted").isEqualTo(1);

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

        service.assembly().byHand().runJanitor();

        assertThat(service.get(old.id())).as("expired job").isEmpty();
        assertThat(storedHashes()).as("files left")
                .containsExactlyInAnyOrder(recent.source().sha256(), recent.result().sha256());
    }

    @Test
    void without_ttl_jobs_are_kept_forever() {
        open(null);
        Job job = done(TestImages.png(40, 40, 1), SPEC);
        clock.advance(Duration.ofDays(3650));

        assertThat(service.assembly().byHand().runJanitor().jobsDeleted()).as("jobs deleted").isZero();
        assertThat(service.get(job.id())).isPresent();
    }

    @Test
    void sweep_moves_files_no_row_references_to_the_quarantine_and_deletes_abandoned_temporary_files()
            throws IOException {
        open(null);
        Job job = done(TestImages.png(40, 40, 1), SPEC);
        String stray = stray(new byte[] {1, 2, 3});
        Path temp = dir.resolve("blobs").resolve(stray.substring(0, 2)).resolve(stray + ".0b1c.tmp");
        Files.write(temp, new byte[] {1});

        Janitor.Report report = service.assembly().byHand().runJanitor();

        assertThat(report.filesQuarantined()).as("files quarantined").isEqualTo(1);
        assertThat(report.filesDeleted()).as("files deleted: the temporary one").isEqualTo(1);
        assertThat(storedHashes()).as("files left in the store")
                .containsExactlyInAnyOrder(job.source().sha256(), job.result().sha256());
        assertThat(quarantinedHashes()).as("files in the quarantine").containsExactly(stray);
        assertThat(temp).as("abandoned temporary file").doesNotExist();
    }

    @Test
    void files_left_by_a_crash_go_to_the_quarantine_on_the_next_start() throws IOException {
        open(null).close();
        String stray = stray(new byte[] {9});

        open(null);

        assertThat(storedHashes()).as("files in the store after restart").isEmpty();
        assertThat(quarantinedHashes()).as("files in the quarantine after restart").containsExactly(stray);
        assertThat(service.stats().quarantinedFiles()).as("quarantined files in the stats").isEqualTo(1);
    }

    @Test
    void quarantined_files_are_deleted_only_once_their_grace_period_is_over() throws IOException {
        service = ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withStartWorkers(false))
                .quarantineGrace(Duration.ofDays(7)).build();
        String stray = stray(new byte[] {7});
        service.assembly().byHand().runJanitor();

        clock.advance(Duration.ofDays(6));
        assertThat(service.assembly().byHand().runJanitor().filesDeleted()).as("files deleted within the grace period")
                .isZero();
        assertThat(quarantinedHashes()).as("quarantine within the grace period").containsExactly(stray);

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(service.assembly().byHand().runJanitor().filesDeleted()).as("files deleted after the grace period")
                .isEqualTo(1);
        assertThat(quarantinedHashes()).as("quarantine after the grace period").isEmpty();
        assertThat(service.stats().quarantinedFiles()).as("quarantined files in the stats").isZero();
    }
}
