package io.thumbnail.server.internal.security;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthFailureLimitTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String GUESSER = "203.0.113.9";
    private final AtomicLong now = new AtomicLong(7 * SECOND);
    private final AuthFailureLimit limit = new AuthFailureLimit(20, now::get);

    private void fail(String address, int times) {
        for (int i = 0; i < times; i++) {
            limit.check(address);
            limit.recordFailure(address);
        }
    }

    @Test
    void an_address_may_fail_the_limit_times_then_is_refused_429_with_retry_after() {
        fail(GUESSER, 20);

        RequestRefused refused = catchThrowableOfType(RequestRefused.class, () -> limit.check(GUESSER));

        assertThat(refused).as("the 21st attempt").isNotNull();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("rate_limited");
        assertThat(refused.headers()).as("20 a minute: one back every 3 s").containsEntry("Retry-After", "3");
    }

    @Test
    void another_address_is_not_refused_for_the_guesses_of_one() {
        fail(GUESSER, 20);

        assertThatCode(() -> limit.check("198.51.100.7")).as("another IPv4 client").doesNotThrowAnyException();
        assertThatCode(() -> limit.check(ClientAddress.of("2001:db8::1"))).doesNotThrowAnyException();
    }

    @Test
    void a_refused_address_gets_one_attempt_back_each_share_of_the_minute() {
        fail(GUESSER, 20);
        now.addAndGet(3 * SECOND);

        assertThatCode(() -> fail(GUESSER, 1)).as("one attempt 3 s later").doesNotThrowAnyException();
        assertThat(catchThrowableOfType(RequestRefused.class, () -> limit.check(GUESSER))).as("but only one")
                .isNotNull();
    }

    @Test
    void successful_requests_take_nothing() {
        for (int i = 0; i < 1000; i++) {
            limit.check(GUESSER);
        }

        assertThatCode(() -> fail(GUESSER, 20)).doesNotThrowAnyException();
    }
}
