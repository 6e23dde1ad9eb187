package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The budget whole-image decodes share: what one holds, the others wait for. */
class DecodeMemoryTest {
    private static final long MB = 1 << 20;
    /** Pixels whose decode is estimated at {@code mb} megabytes. */
    private static long pixelsOf(long mb) {
        return mb * MB / DecodeMemory.BYTES_PER_PIXEL;
    }

    @Test
    void a_decode_takes_its_estimate_and_gives_it_back() {
        DecodeMemory memory = new DecodeMemory(100 * MB);

        try (DecodeMemory.Lease lease = memory.take(pixelsOf(30))) {
            assertThat(memory.availableKb()).as("KB left while it decodes").isEqualTo(70 * 1024);
        }
        assertThat(memory.availableKb()).as("KB left after").isEqualTo(100 * 1024);
    }

    @Test
    void a_decode_larger_than_the_budget_takes_all_of_it_and_goes_ahead_alone() {
        DecodeMemory memory = new DecodeMemory(100 * MB);

        try (DecodeMemory.Lease lease = memory.take(pixelsOf(500))) {
            assertThat(memory.availableKb()).as("KB left while it decodes").isZero();
        }
    }

    @Test
    void a_decode_that_does_not_fit_beside_another_waits_until_that_one_is_done() throws Exception {
        DecodeMemory memory = new DecodeMemory(100 * MB);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            DecodeMemory.Lease first = memory.take(pixelsOf(60));
            CompletableFuture<Thread> waiting = new CompletableFuture<>();
            Future<Integer> second = other.submit(() -> {
                waiting.complete(Thread.currentThread());
                try (DecodeMemory.Lease lease = memory.take(pixelsOf(60))) {
                    return memory.availableKb();
                }
            });
            Thread thread = waiting.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 10_000_000 && thread.getState() != Thread.State.WAITING; i++) {
                Thread.onSpinWait();
            }

            assertThat(thread.getState()).as("the second decode, while the first holds 60 of 100 MB")
                    .isEqualTo(Thread.State.WAITING);
            assertThat(second.isDone()).as("the second decode done").isFalse();
            first.close();
            assertThat(second.get(10, TimeUnit.SECONDS)).as("KB left while the second decodes").isEqualTo(40 * 1024);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void a_decode_stopped_while_it_waits_is_a_timeout_and_keeps_its_interruption() {
        DecodeMemory memory = new DecodeMemory(100 * MB);
        try (DecodeMemory.Lease all = memory.take(pixelsOf(100))) {
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> memory.take(pixelsOf(1))).isInstanceOfSatisfying(ThumbnailException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
            assertThat(Thread.interrupted()).as("interrupted still (and cleared here)").isTrue();
        }
    }
}
