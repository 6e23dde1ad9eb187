package io.thumbnail;

import io.thumbnail.internal.image.HeldDecodeMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job whose decode waits for memory that other images' decodes hold is not charged that wait: a small image behind
 * a large one's long decode is not failed with {@code timeout} for it.
 */
class JobWaitingForMemoryTest {
    @TempDir
    Path dir;

    @Test
    void a_job_waiting_for_decode_memory_past_its_time_limit_is_not_failed_and_is_made_once_it_has_it()
            throws Exception {
        MutableClock clock = MutableClock.startingNow();
        HeldDecodeMemory heldByALargeDecode = HeldDecodeMemory.all();
        try (ThumbnailService service = ThumbnailService.builder().dataDir(dir).clock(clock).workers(1)
                .jobTimeout(Duration.ofSeconds(10)).build()) {
            Job job = service.submit(ImageSource.of(TestImages.png(90, 60, 1), "small.png"), ThumbnailSpec.box(40, 40),
                    SubmitOptions.defaults());
            awaitWorkerWaitingForMemory();

            clock.advance(Duration.ofSeconds(11));
            assertThat(service.assembly().byHand().expireOverdueJobs()).as("jobs failed for overrunning, 11 s into"
                    + " a 10 s limit spent waiting for memory").isEmpty();
            heldByALargeDecode.close();

            Job done = service.await(job.id(), Duration.ofSeconds(30));
            assertThat(done.status()).as("status once the memory was given back; error: %s", done.error())
                    .isEqualTo(JobStatus.DONE);
        } finally {
            heldByALargeDecode.close();
        }
    }

    private static void awaitWorkerWaitingForMemory() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (var entry : Thread.getAllStackTraces().entrySet()) {
                String stack = Arrays.toString(entry.getValue());
                if (entry.getKey().getName().startsWith("thumbnail-worker-") && stack.contains("Semaphore")
                        && stack.contains("DecodeMemory")) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no worker came to wait for decode memory");
    }
}
