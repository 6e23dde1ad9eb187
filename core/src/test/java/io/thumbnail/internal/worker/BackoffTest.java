package io.thumbnail.internal.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void first_retry_waits_the_base_delay() {
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void each_further_retry_waits_twice_as_long() {
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void delay_is_capped() {
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(1000)).as("no overflow after many attempts").isEqualTo(Duration.ofSeconds(10));
    }
}
