package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class BackpressureTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(16, 16);

    @TempDir
    Path dir;
    private ThumbnailService service;

    @BeforeEach
    void open() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).queueCapacity(3)
                .build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    private Job submit(int seed) {
        return service.submit(ImageSource.of(TestImages.png(20, 20, seed), "a.png"), SPEC, SubmitOptions.defaults());
    }

    @Test
    void submit_beyond_the_queue_capacity_fails_with_queue_full() throws IOException {
        for (int i = 0; i < 3; i++) {
            submit(i);
        }

        Throwable thrown = catchThrowable(() -> submit(99));

        assertThat(thrown).isInstanceOf(ThumbnailException.class);
        assertThat(((ThumbnailException) thrown).code()).as("code").isEqualTo(ErrorCode.QUEUE_FULL);
        ServiceTestHooks.checkStatus(service);
        assertThat(service.stats().queued()).as("queued").isEqualTo(3);
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).as("files: the refused original is gone")
                    .isEqualTo(3);
        }
    }

    @Test
    void a_batch_larger_than_the_whole_queue_is_refused_as_a_request_never_to_repeat_not_as_queue_full() {
        Throwable thrown = catchThrowable(() -> service.submitAll(java.util.List.of(
                ImageSource.of(TestImages.png(20, 20, 1), "a.png"), ImageSource.of(TestImages.png(20, 20, 2), "b.png"),
                ImageSource.of(TestImages.png(20, 20, 3), "c.png"), ImageSource.of(TestImages.png(20, 20, 4), "d.png")),
                SPEC, SubmitOptions.defaults()));

        assertThat(thrown).isInstanceOf(ThumbnailException.class)
                .hasMessage("these 4 jobs are more than the whole queue holds (3); send them in parts of at most 3");
        assertThat(((ThumbnailException) thrown).code()).as("code, which no wait would change")
                .isEqualTo(ErrorCode.INVALID_REQUEST);
        ServiceTestHooks.checkStatus(service);
        assertThat(service.stats().queued()).as("queued").isZero();
    }

    @Test
    void queue_accepts_again_once_a_job_has_been_taken() {
        for (int i = 0; i < 3; i++) {
            submit(i);
        }
        service.assembly().byHand().processNext();

        assertThat(submit(99).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void an_owner_at_its_share_is_refused_while_another_owner_can_still_submit() {
        service.close();
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).queueCapacity(4)
                .maxQueuedPerOwner(2).build();
        service.submit(ImageSource.of(TestImages.png(20, 20, 1), "a.png"), SPEC,
                SubmitOptions.builder().owner("alice").build());
        service.submit(ImageSource.of(TestImages.png(20, 20, 2), "a.png"), SPEC,
                SubmitOptions.builder().owner("alice").build());

        Throwable thrown = catchThrowable(() -> service.submit(ImageSource.of(TestImages.png(20, 20, 3), "a.png"),
                SPEC, SubmitOptions.builder().owner("alice").build()));
        Job bobs = service.submit(ImageSource.of(TestImages.png(20, 20, 4), "b.png"), SPEC,
                SubmitOptions.builder().owner("bob").build());

        assertThat(thrown).isInstanceOf(ThumbnailException.class);
        assertThat(((ThumbnailException) thrown).code()).as("alice's third, past her share").isEqualTo(ErrorCode.QUEUE_FULL);
        assertThat(bobs.status()).as("bob's, with alice at her share").isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void an_owners_share_is_a_quarter_of_the_queue_by_default() {
        service.close();
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).queueCapacity(8)
                .build();
        service.submit(ImageSource.of(TestImages.png(20, 20, 1), "a.png"), SPEC,
                SubmitOptions.builder().owner("alice").build());
        service.submit(ImageSource.of(TestImages.png(20, 20, 2), "a.png"), SPEC,
                SubmitOptions.builder().owner("alice").build());

        Throwable thrown = catchThrowable(() -> service.submit(ImageSource.of(TestImages.png(20, 20, 3), "a.png"),
                SPEC, SubmitOptions.builder().owner("alice").build()));

        assertThat(thrown).as("alice's third in a queue of 8").isInstanceOf(ThumbnailException.class);
        assertThat(service.submit(ImageSource.of(TestImages.png(20, 20, 3), "a.png"), SPEC,
                SubmitOptions.defaults()).status())
                .as("the same image without an owner").isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void done_duplicate_is_accepted_even_when_the_queue_is_full() {
        submit(1);
        service.assembly().byHand().processNext();
        for (int i = 2; i < 5; i++) {
            submit(i);
        }

        assertThat(submit(1).status()).as("status of a duplicate of a done job").isEqualTo(JobStatus.DONE);
    }
}
