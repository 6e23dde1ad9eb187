package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one owner (an API key) can learn about, or take from, another: neither whether it holds an image (dedupe
 * stays within an owner), nor the whole queue.
 */
class OwnerIsolationTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(50, 50);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private final ScriptedPipeline pipeline = new ScriptedPipeline();
    private ThumbnailService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private ThumbnailService open() {
        service = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false))
                .build();
        return service;
    }

    private Job job(Job submitted) {
        return service.get(submitted.id()).orElseThrow();
    }

    @Test
    void an_image_another_owner_has_done_is_queued_and_made_again_not_born_done() {
        open();
        byte[] image = TestImages.png(120, 80, 1);
        service.submit(ImageSource.of(image, "a.png"), SPEC, SubmitOptions.builder().owner("alice").build());
        service.assembly().byHand().processNext();

        Job bobs = service.submit(ImageSource.of(image.clone(), "b.png"), SPEC,
                SubmitOptions.builder().owner("bob").build());

        assertThat(bobs.status()).as("status of bob's submit of an image only alice has sent")
                .isEqualTo(JobStatus.QUEUED);
        assertThat(bobs.attempts()).as("attempts at submit").isZero();
        assertThat(service.assembly().byHand().processNext()).as("bob's job runs like any other").isTrue();
        assertThat(job(bobs).status()).isEqualTo(JobStatus.DONE);
        assertThat(job(bobs).attempts()).as("attempts once done").isEqualTo(1);
        assertThat(pipeline.calls()).as("decodes: bob's image is made for bob").isEqualTo(2);
    }

    @Test
    void an_owner_sending_its_own_image_again_still_gets_it_done_at_submit() {
        open();
        byte[] image = TestImages.png(120, 80, 1);
        service.submit(ImageSource.of(image, "a.png"), SPEC, SubmitOptions.builder().owner("alice").build());
        service.assembly().byHand().processNext();

        Job again = service.submit(ImageSource.of(image.clone(), "a.png"), SPEC,
                SubmitOptions.builder().owner("alice").build());

        assertThat(again.status()).as("status of alice's second submit of her image").isEqualTo(JobStatus.DONE);
        assertThat(pipeline.calls()).as("decodes").isEqualTo(1);
    }

    @Test
    void a_twin_of_another_owner_done_while_waiting_in_the_queue_is_still_made() {
        open();
        byte[] image = TestImages.png(120, 80, 1);
        Job alices = service.submit(ImageSource.of(image, "a.png"), SPEC,
                SubmitOptions.builder().owner("alice").build());
        Job bobs = service.submit(ImageSource.of(image.clone(), "b.png"), SPEC,
                SubmitOptions.builder().owner("bob").build());

        service.assembly().byHand().processNext();
        service.assembly().byHand().processNext();

        assertThat(job(alices).status()).isEqualTo(JobStatus.DONE);
        assertThat(job(bobs).status()).isEqualTo(JobStatus.DONE);
        assertThat(pipeline.calls()).as("decodes: each owner's job is made, none completed from the other's")
                .isEqualTo(2);
    }

    @Test
    void a_job_of_another_owner_is_not_found_by_any_lookup_and_not_deleted() {
        open();
        Job alices = service.submit(ImageSource.of(TestImages.png(40, 30, 9), "a.png"), SPEC,
                SubmitOptions.builder().owner("alice").build());
        service.assembly().byHand().processNext();

        assertThat(service.get(alices.id(), "bob")).as("get").isEmpty();
        assertThat(service.delete(alices.id(), "bob")).as("delete").isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> service.thumbnailBytes(alices.id(), "bob"), ThumbnailException.class).code())
                .as("thumbnail").isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(service.get(alices.id(), "alice")).as("get by its owner").isPresent();
        assertThat(service.get(alices.id())).as("get for every owner").isPresent();
        assertThat(service.thumbnailBytes(alices.id(), "alice")).as("thumbnail by its owner").isNotEmpty();
    }
}
