package io.thumbnail.internal.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class FinisherTest {
    @Test
    void task_runs_on_a_named_finisher_thread() throws InterruptedException {
        Finisher finisher = new Finisher(1, 4, 0);
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);

        finisher.execute(() -> {
            thread.set(Thread.currentThread().getName());
            ran.countDown();
        });

        assertThat(ran.await(10, TimeUnit.SECONDS)).as("task ran").isTrue();
        assertThat(thread.get()).as("thread name").startsWith("thumbnail-finisher-");
        finisher.stop(Duration.ofSeconds(10));
    }

    @Test
    void full_queue_makes_the_caller_finish_the_oldest_waiting_task_before_its_own_is_queued()
            throws InterruptedException {
        Finisher finisher = new Finisher(1, 1, 0);
        CountDownLatch release = new CountDownLatch(1);
        keepBusy(finisher, release);
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> waitingRanOn = new AtomicReference<>();
        finisher.execute(() -> {
            waitingRanOn.set(Thread.currentThread());
            order.add("waiting");
        });

        finisher.execute(() -> order.add("new"));

        assertThat(waitingRanOn.get()).as("thread that ran the task waiting in the full queue")
                .isSameAs(Thread.currentThread());
        assertThat(order).as("tasks run before the finisher thread is free").containsExactly("waiting");
        release.countDown();
        assertThat(finisher.stop(Duration.ofSeconds(10))).as("stop returned in time").isTrue();
        assertThat(order).as("order the tasks ran in").containsExactly("waiting", "new");
    }

    @Test
    void a_waiting_task_that_throws_on_the_caller_does_not_keep_the_callers_own_from_being_queued()
            throws InterruptedException {
        Finisher finisher = new Finisher(1, 1, 0);
        CountDownLatch release = new CountDownLatch(1);
        keepBusy(finisher, release);
        finisher.execute(() -> {
            throw new StackOverflowError("a broken task");
        });
        AtomicInteger ownRan = new AtomicInteger();

        finisher.execute(ownRan::incrementAndGet);
        release.countDown();

        assertThat(finisher.stop(Duration.ofSeconds(10))).as("stop returned in time").isTrue();
        assertThat(ownRan.get()).as("runs of the caller's own task").isEqualTo(1);
    }

    @Test
    void stop_finishes_every_queued_task_first() {
        Finisher finisher = new Finisher(1, 16, 0);
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            finisher.execute(done::incrementAndGet);
        }

        boolean finished = finisher.stop(Duration.ofSeconds(10));

        assertThat(finished).as("stop returned in time").isTrue();
        assertThat(done.get()).as("tasks run").isEqualTo(10);
    }

    @Test
    void task_handed_over_after_stop_runs_on_the_caller() {
        Finisher finisher = new Finisher(1, 4, 0);
        finisher.stop(Duration.ofSeconds(10));
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        finisher.execute(() -> ranOn.set(Thread.currentThread()));

        assertThat(ranOn.get()).as("thread that ran the late task").isSameAs(Thread.currentThread());
    }

    /** Occupies the finisher's one thread until {@code release} is counted down. */
    private static void keepBusy(Finisher finisher, CountDownLatch release) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        finisher.execute(() -> {
            busy.countDown();
            await(release);
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).as("finisher thread busy").isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
