package io.thumbnail.internal.health;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutageRetryTest {
    private final List<Duration> waits = new ArrayList<>();
    private final OutageRetry retry = new OutageRetry(waits::add);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private static StoreException outage() {
        return new StoreException("the database is not answering", null);
    }

    @Test
    void a_write_that_works_at_once_is_run_once_without_waiting() {
        OutageRetry.Tried<String> tried = retry.run(() -> "done");

        assertThat(tried).as("what the write returned").isEqualTo(new OutageRetry.Tried<>("done", false));
        assertThat(waits).as("waits").isEmpty();
    }

    @Test
    void a_write_failing_twice_is_run_again_after_a_quarter_then_half_a_second() {
        AtomicInteger runs = new AtomicInteger();

        OutageRetry.Tried<Integer> tried = retry.run(() -> {
            if (runs.incrementAndGet() <= 2) {
                throw outage();
            }
            return runs.get();
        });

        assertThat(tried).as("the third run's value, marked as retried").isEqualTo(new OutageRetry.Tried<>(3, true));
        assertThat(waits).as("waits between the runs").containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
    }

    @Test
    void a_store_that_keeps_failing_is_given_up_on_after_every_try_within_four_seconds() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> retry.run(() -> {
            runs.incrementAndGet();
            throw outage();
        })).isInstanceOf(StoreException.class);

        assertThat(runs.get()).as("runs").isEqualTo(OutageRetry.TRIES);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).as("all the waits")
                .isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void an_interrupted_wait_ends_the_tries_and_keeps_the_interrupt() {
        OutageRetry interrupted = new OutageRetry(d -> {
            throw new InterruptedException("stop");
        });
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> interrupted.run(() -> {
            runs.incrementAndGet();
            throw outage();
        })).isInstanceOf(StoreException.class);

        assertThat(runs.get()).as("runs").isEqualTo(1);
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
    }

    @Test
    void other_failures_are_not_retried() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> retry.run(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(runs.get()).as("runs").isEqualTo(1);
    }
}
