package io.thumbnail.server.internal.security;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void a_client_may_make_burst_requests_at_once_then_is_refused() {
        RateLimiter limiter = new RateLimiter(1, 3, now::get);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("alice")).as("request %d of the burst", i + 1).isEmpty();
        }
        assertThat(limiter.acquire("alice")).as("one past the burst").isPresent();
    }

    @Test
    void tokens_come_back_at_the_rate() {
        RateLimiter limiter = new RateLimiter(2, 1, now::get);
        limiter.acquire("alice");
        assertThat(limiter.acquire("alice")).isPresent();

        now.addAndGet(SECOND / 2);

        assertThat(limiter.acquire("alice")).as("half a second at 2/s gives one token").isEmpty();
        assertThat(limiter.acquire("alice")).isPresent();
    }

    @Test
    void the_bucket_never_holds_more_than_the_burst() {
        RateLimiter limiter = new RateLimiter(10, 2, now::get);
        now.addAndGet(3600 * SECOND);

        assertThat(limiter.acquire("alice")).isEmpty();
        assertThat(limiter.acquire("alice")).isEmpty();
        assertThat(limiter.acquire("alice")).as("an hour idle still allows only the burst").isPresent();
    }

    @Test
    void retry_after_is_the_whole_seconds_until_the_next_token() {
        RateLimiter limiter = new RateLimiter(0.1, 1, now::get);
        limiter.acquire("alice");

        assertThat(limiter.acquire("alice")).isEqualTo(OptionalLong.of(10));
        now.addAndGet(7 * SECOND);
        assertThat(limiter.acquire("alice")).isEqualTo(OptionalLong.of(3));
        now.addAndGet(2_900_000_000L);
        assertThat(limiter.acquire("alice")).as("never less than 1").isEqualTo(OptionalLong.of(1));
    }

    @Test
    void each_client_has_its_own_bucket() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);

        assertThat(limiter.acquire("alice")).isEmpty();
        assertThat(limiter.acquire("alice")).isPresent();
        assertThat(limiter.acquire("bob")).as("alice's use does not limit bob").isEmpty();
    }

    @Test
    void idle_clients_are_forgotten_once_many_are_tracked() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);
        for (int i = 0; i < RateLimiter.MAX_TRACKED; i++) {
            limiter.acquire("ip:" + i);
        }
        now.addAndGet(SECOND);

        limiter.acquire("one more");

        assertThat(limiter.tracked()).as("refilled buckets dropped").isEqualTo(1);
    }

    @Test
    void a_rate_or_burst_that_allows_nothing_is_refused() {
        assertThatThrownBy(() -> new RateLimiter(0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(1, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
