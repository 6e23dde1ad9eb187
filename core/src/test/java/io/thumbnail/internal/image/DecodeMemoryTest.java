package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
    void a_decode_that_waits_tells_its_threads_listener_when_the_wait_starts_and_ends() throws Exception {
        DecodeMemory memory = new DecodeMemory(100 * MB);
        ExecutorService other = Executors.newSingleThreadExecutor();
        RecordingListener listener = new RecordingListener(Duration.ofMinutes(1));
        try {
            DecodeMemory.Lease first = memory.take(pixelsOf(60));
            Future<Integer> second = other.submit(() -> {
                MemoryWaits.listen(listener);
                try (DecodeMemory.Lease lease = memory.take(pixelsOf(60))) {
                    return memory.availableKb();
                } finally {
                    MemoryWaits.listen(null);
                }
            });
            assertThat(listener.started.await(10, TimeUnit.SECONDS)).as("the wait's start told").isTrue();
            assertThat(listener.ended.getCount()).as("ends told while the first decode holds its share").isEqualTo(1);

            first.close();

            assertThat(second.get(10, TimeUnit.SECONDS)).as("KB left while the second decodes").isEqualTo(40 * 1024);
            assertThat(listener.ended.getCount()).as("ends told once it had its share").isZero();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void a_decode_that_need_not_wait_tells_its_listener_nothing() {
        DecodeMemory memory = new DecodeMemory(100 * MB);
        RecordingListener listener = new RecordingListener(Duration.ofMinutes(1));
        MemoryWaits.listen(listener);
        try (DecodeMemory.Lease lease = memory.take(pixelsOf(60))) {
            assertThat(listener.started.getCount()).as("waits told").isEqualTo(1);
        } finally {
            MemoryWaits.listen(null);
        }
    }

    @Test
    void a_decode_that_waits_longer_than_its_listener_allows_is_a_timeout_that_names_the_memory() {
        DecodeMemory memory = new DecodeMemory(100 * MB);
        RecordingListener listener = new RecordingListener(Duration.ofMillis(20));
        try (DecodeMemory.Lease all = memory.take(pixelsOf(100))) {
            MemoryWaits.listen(listener);

            assertThatThrownBy(() -> memory.take(pixelsOf(1))).isInstanceOfSatisfying(ThumbnailException.class, e -> {
                assertThat(e.code()).as("code").isEqualTo(ErrorCode.TIMEOUT);
                assertThat(e.code().isTransient()).as("tried again later").isTrue();
                assertThat(e.getMessage()).as("message").isEqualTo("waited 20 ms for memory to decode the image"
                        + " while other images' decodes held it");
            });
            assertThat(listener.ended.getCount()).as("ends told").isZero();
        } finally {
            MemoryWaits.listen(null);
        }
        assertThat(memory.availableKb()).as("KB left after: the timed-out wait took none").isEqualTo(100 * 1024);
    }

    /** Counts the waits it is told of, and allows each {@code longest}. */
    private static final class RecordingListener implements MemoryWaits.Listener {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        private final Duration longest;

        RecordingListener(Duration longest) {
            this.longest = longest;
        }

        @Override
        public Duration waiting() {
            started.countDown();
            return longest;
        }

        @Override
        public void ended() {
            ended.countDown();
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
