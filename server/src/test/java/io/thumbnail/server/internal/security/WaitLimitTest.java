package io.thumbnail.server.internal.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitLimitTest {
    @Test
    void a_client_may_hold_up_to_the_limit_and_is_refused_past_it() {
        WaitLimit limit = new WaitLimit(2);
        WaitLimit.Slot first = limit.enter("ip:1");
        limit.enter("ip:1");

        assertThatThrownBy(() -> limit.enter("ip:1")).isInstanceOfSatisfying(RequestRefused.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.code()).isEqualTo("rate_limited");
            assertThat(e.headers()).containsKey("Retry-After");
        });
        assertThat(limit.waiting("ip:1")).as("a refusal takes no place").isEqualTo(2);

        first.close();
        assertThat(limit.enter("ip:1")).as("a freed place can be taken again").isNotNull();
    }

    @Test
    void closing_a_slot_twice_frees_one_place() {
        WaitLimit limit = new WaitLimit(3);
        WaitLimit.Slot slot = limit.enter("key:alice");
        limit.enter("key:alice");

        slot.close();
        slot.close();

        assertThat(limit.waiting("key:alice")).isEqualTo(1);
    }

    @Test
    void clients_do_not_share_places_and_idle_ones_are_forgotten() {
        WaitLimit limit = new WaitLimit(1);
        WaitLimit.Slot alice = limit.enter("key:alice");

        assertThat(limit.enter("key:bob")).isNotNull();
        alice.close();
        assertThat(limit.waiting("key:alice")).isZero();
    }
}
