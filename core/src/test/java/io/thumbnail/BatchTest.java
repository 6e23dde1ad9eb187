package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(32, 32);

    @TempDir
    Path dir;
    private ThumbnailService service;

    @BeforeEach
    void open() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).queueCapacity(5)
                .maxQueuedPerOwner(5)
                .build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    private static ImageSource image(int seed) {
        return ImageSource.of(TestImages.png(64, 48, seed), "img" + seed + ".png");
    }

    private static ImageSource garbage() {
        return ImageSource.of("not an image".getBytes(StandardCharsets.UTF_8), "notes.txt");
    }

    @Test
    void batch_reports_its_total_counts_and_items_in_submission_order() {
        Batch batch = service.submitAll(List.of(image(1), image(2), image(3)), SPEC,
                SubmitOptions.builder().owner("alice").build());

        assertThat(batch.total()).as("total").isEqualTo(3);
        assertThat(batch.owner()).isEqualTo("alice");
        assertThat(batch.items()).extracting(j -> j.source().name()).containsExactly("img1.png", "img2.png",
                "img3.png");
        assertThat(batch.items()).extracting(Job::batchId).containsOnly(batch.id());
        assertThat(batch.counts()).isEqualTo(Map.of(JobStatus.QUEUED, 3, JobStatus.PROCESSING, 0,
                JobStatus.DONE, 0, JobStatus.FAILED, 0));
        assertThat(batch.isFinished()).as("finished").isFalse();
    }

    @Test
    void one_bad_item_fails_alone() {
        Batch submitted = service.submitAll(List.of(image(1), garbage(), image(2)), SPEC, SubmitOptions.defaults());
        Job bad = submitted.items().get(1);
        assertThat(bad.status()).as("bad item at submit").isEqualTo(JobStatus.FAILED);
        assertThat(bad.error().code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
        assertThat(bad.source().name()).isEqualTo("notes.txt");

        while (service.assembly().byHand().processNext()) {
            // run every queued item
        }

        Batch batch = service.batch(submitted.id()).orElseThrow();
        assertThat(batch.counts().get(JobStatus.DONE)).as("done items").isEqualTo(2);
        assertThat(batch.counts().get(JobStatus.FAILED)).as("failed items").isEqualTo(1);
        assertThat(batch.isFinished()).as("finished").isTrue();
    }

    @Test
    void batch_that_does_not_fit_the_queue_is_refused_whole() {
        service.submitAll(List.of(image(1), image(2), image(3)), SPEC, SubmitOptions.defaults());

        assertThatThrownBy(() -> service.submitAll(List.of(image(4), image(5), image(6)), SPEC,
                SubmitOptions.defaults()))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.QUEUE_FULL));
        assertThat(service.list(JobQuery.all()).items()).as("jobs after the refused batch").hasSize(3);
    }

    @Test
    void empty_batch_is_refused() {
        assertThatThrownBy(() -> service.submitAll(List.of(), SPEC,
                SubmitOptions.defaults())).isInstanceOf(ThumbnailException.class)
                .hasMessageContaining("at least one image");
    }

    @Test
    void unknown_batch_is_empty() {
        assertThat(service.batch(UUID.randomUUID())).isEmpty();
    }
}
