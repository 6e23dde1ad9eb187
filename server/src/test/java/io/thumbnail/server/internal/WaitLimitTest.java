package io.thumbnail.server.internal;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
    void close_ends_every_wait_and_refuses_new_waits_as_unavailable() throws Exception {
        WaitLimit limit = new WaitLimit(4);
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<String> waiting = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try (WaitLimit.Slot slot = limit.enter("ip:1")) {
                waiting.complete(slot.await(() -> {
                    entered.countDown();
                    Thread.sleep(60_000);
                    return "slept";
                }));
            } catch (InterruptedException e) {
                waiting.complete("woken");
            }
        }, "test-waiter");
        waiter.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        limit.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("woken");
        waiter.join(10_000);
        assertThat(limit.waiting("ip:1")).as("its place is free").isZero();
        assertThatThrownBy(() -> limit.enter("ip:2")).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void a_wait_that_begins_after_close_ends_at_once_and_the_work_before_it_is_not_interrupted() {
        WaitLimit limit = new WaitLimit(1);
        WaitLimit.Slot slot = limit.enter("ip:1");

        limit.close();

        assertThat(Thread.currentThread().isInterrupted()).as("interrupted outside a wait").isFalse();
        assertThatThrownBy(() -> slot.await(() -> "never run")).isInstanceOf(InterruptedException.class);
        slot.close();
    }
}
