package io.thumbnail.server.internal.security;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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

    @Test
    void a_client_out_of_places_has_its_oldest_long_poll_ended_early_instead_of_a_refusal() {
        WaitLimit limit = new WaitLimit(2);
        List<String> ended = new ArrayList<>();
        WaitLimit.Slot[] oldest = new WaitLimit.Slot[1];
        oldest[0] = limit.enter("ip:1", () -> {
            ended.add("oldest");
            oldest[0].close();
        });
        limit.enter("ip:1", () -> ended.add("second"));

        WaitLimit.Slot third = limit.enter("ip:1", () -> ended.add("third"));

        assertThat(third).as("a client that gave up on a wait is not locked out by it").isNotNull();
        assertThat(ended).as("only the oldest is answered early").containsExactly("oldest");
        assertThat(limit.waiting("ip:1")).isEqualTo(2);
    }

    @Test
    void waits_being_ended_still_count_so_a_client_never_holds_more_than_twice_the_limit() {
        WaitLimit limit = new WaitLimit(2);
        List<String> ended = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "wait " + i;
            // Answers that never complete: a client whose connections hang.
            limit.enter("ip:1", () -> ended.add(name));
        }

        assertThatThrownBy(() -> limit.enter("ip:1", () -> { }))
                .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.status()).isEqualTo(429));
        assertThat(ended).containsExactly("wait 0", "wait 1");
        assertThat(limit.waiting("ip:1")).isEqualTo(4);
    }

    @Test
    void waits_that_cannot_be_ended_early_are_refused_at_the_limit() {
        WaitLimit limit = new WaitLimit(1);
        limit.enter("ip:1");

        assertThatThrownBy(() -> limit.enter("ip:1", () -> { })).isInstanceOf(RequestRefused.class);
    }
}
