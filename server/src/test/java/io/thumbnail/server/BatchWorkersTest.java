package io.thumbnail.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The batch's workers and their time limit per task, on a clock the test moves: no waiting on time. */
class BatchWorkersTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final AtomicLong nanos = new AtomicLong();
    private final CountDownLatch hanging = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<Thread> hungThread = new AtomicReference<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void release() throws InterruptedException {
        release.countDown();
        background.shutdownNow();
        background.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** A task that hangs, deaf to interrupts (as a read from a dead network mount), until the test ends. */
    private String hang() {
        hungThread.set(Thread.currentThread());
        hanging.countDown();
        DeafWait.until(release);
        return "hang: finished after all";
    }

    /** Runs the batch until its first task hangs, then moves the clock past that task's limit and lets it expire. */
    private Future<List<String>> runPastTheLimit(BatchWorkers<String> workers, String started) throws Exception {
        Future<List<String>> results = background.submit(workers::run);
        assertThat(hanging.await(30, TimeUnit.SECONDS)).as(started).isTrue();
        nanos.addAndGet(LIMIT.toNanos());
        workers.expireOverdue();
        return results;
    }

    private BatchWorkers<String> workers(List<BatchWorkers.Task<String>> tasks, int threads) {
        return new BatchWorkers<>(tasks, threads, LIMIT, i -> "task " + i + ": timeout", "stop"::equals, nanos::get,
                "test-worker");
    }

    @Test
    void a_task_past_its_limit_gets_its_timeout_result_and_the_tasks_after_it_still_run() throws Exception {
        List<BatchWorkers.Task<String>> tasks = new ArrayList<>();
        tasks.add(attempt -> hang());
        tasks.add(attempt -> "a");
        tasks.add(attempt -> "b");
        BatchWorkers<String> workers = workers(tasks, 1);
        Future<List<String>> results = runPastTheLimit(workers, "the first task started");

        assertThat(results.get(30, TimeUnit.SECONDS)).as("results of the batch, which ends with a thread still hung")
                .containsExactly("task 0: timeout", "a", "b");
        assertThat(hungThread.get().isAlive()).as("the hung thread, still in its task").isTrue();
        assertThat(hungThread.get().isDaemon()).as("the hung thread is a daemon, which the JVM does not wait for")
                .isTrue();
    }

    @Test
    void the_workers_watch_the_limits_themselves_on_the_systems_clock() {
        BatchWorkers<String> workers = new BatchWorkers<>(List.of(attempt -> hang(), attempt -> hang()), 1,
                Duration.ofMillis(1), i -> "task " + i + ": timeout", "stop"::equals, System::nanoTime, "test-worker");

        List<String> results = assertTimeoutPreemptively(Duration.ofSeconds(60), workers::run,
                "the batch ends, though its tasks never do");

        assertThat(results).containsExactly("task 0: timeout", "task 1: timeout");
    }

    @Test
    void a_task_within_its_limit_is_left_running() throws Exception {
        BatchWorkers<String> workers = workers(List.of(attempt -> hang()), 1);
        Future<List<String>> results = background.submit(workers::run);
        assertThat(hanging.await(30, TimeUnit.SECONDS)).as("the task started").isTrue();

        nanos.addAndGet(LIMIT.toNanos() - 1);

        assertThat(workers.expireOverdue()).as("nanoseconds to the task's limit").isEqualTo(1);
        release.countDown();
        assertThat(results.get(30, TimeUnit.SECONDS)).containsExactly("hang: finished after all");
    }

    @Test
    void a_task_given_up_on_is_told_so_and_its_result_does_not_count() throws Exception {
        CountDownLatch expired = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        List<Boolean> told = new ArrayList<>();
        BatchWorkers<String> workers = workers(List.of(attempt -> {
            told.add(attempt.givenUp());
            hanging.countDown();
            DeafWait.until(expired);
            told.add(attempt.givenUp());
            looked.countDown();
            return "made after all";
        }), 1);
        Future<List<String>> results = runPastTheLimit(workers, "the task started");
        expired.countDown();

        assertThat(results.get(30, TimeUnit.SECONDS)).containsExactly("task 0: timeout");
        assertThat(looked.await(30, TimeUnit.SECONDS)).as("the task looked again").isTrue();
        assertThat(told).as("givenUp, read by the task before and after its limit").containsExactly(false, true);
    }

    @Test
    void a_task_that_finished_within_its_limit_is_not_given_up_on_past_it() throws Exception {
        List<Boolean> finished = new ArrayList<>();
        BatchWorkers<String> workers = workers(List.of(attempt -> {
            finished.add(attempt.finish());
            hanging.countDown();
            DeafWait.until(release);
            finished.add(attempt.givenUp());
            return "published";
        }), 1);
        Future<List<String>> results = background.submit(workers::run);
        assertThat(hanging.await(30, TimeUnit.SECONDS)).as("the task finished and went on").isTrue();

        nanos.addAndGet(2 * LIMIT.toNanos());
        assertThat(workers.expireOverdue()).as("nanoseconds to a limit: none watched").isEqualTo(Long.MAX_VALUE);
        release.countDown();

        assertThat(results.get(30, TimeUnit.SECONDS)).as("the task's own result, not its timeout")
                .containsExactly("published");
        assertThat(finished).as("finish(), then givenUp() read past the limit").containsExactly(true, false);
    }

    @Test
    void a_task_given_up_on_cannot_finish() throws Exception {
        CountDownLatch expired = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        AtomicReference<Boolean> finished = new AtomicReference<>();
        BatchWorkers<String> workers = workers(List.of(attempt -> {
            hanging.countDown();
            DeafWait.until(expired);
            finished.set(attempt.finish());
            asked.countDown();
            return "published after all";
        }), 1);
        Future<List<String>> results = runPastTheLimit(workers, "the task started");
        expired.countDown();

        assertThat(results.get(30, TimeUnit.SECONDS)).containsExactly("task 0: timeout");
        assertThat(asked.await(30, TimeUnit.SECONDS)).as("the task asked to finish").isTrue();
        assertThat(finished.get()).as("finish() past the limit, after the batch gave up on the task").isFalse();
    }

    @Test
    void stopping_gives_up_on_the_tasks_not_finished_and_waits_for_those_finished() throws Exception {
        CountDownLatch committed = new CountDownLatch(1);
        AtomicReference<BatchWorkers.Attempt> unfinished = new AtomicReference<>();
        List<BatchWorkers.Task<String>> tasks = List.of(attempt -> {
            attempt.finish();
            committed.countDown();
            DeafWait.until(release);
            return "published";
        }, attempt -> {
            unfinished.set(attempt);
            return hang();
        }, attempt -> "never started");
        BatchWorkers<String> workers = workers(tasks, 2);
        Future<List<String>> results = background.submit(workers::run);
        assertThat(committed.await(30, TimeUnit.SECONDS)).as("the first task finished").isTrue();
        assertThat(hanging.await(30, TimeUnit.SECONDS)).as("the second task started").isTrue();
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> stopped = stopper.submit(() -> workers.stop(Duration.ofSeconds(60)));
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                 !unfinished.get().givenUp() && System.nanoTime() < end; ) {
                Thread.onSpinWait();
            }
            assertThat(unfinished.get().givenUp()).as("the unfinished task, given up on").isTrue();
            assertThat(stopped.isDone()).as("stop() returned while a finished task was still running").isFalse();

            release.countDown();

            assertThat(stopped.get(30, TimeUnit.SECONDS)).as("stop(): every finished task ended").isTrue();
        } finally {
            stopper.shutdownNow();
        }
        assertThat(results.get(30, TimeUnit.SECONDS)).as("results: none for the task given up on or never started")
                .containsExactly("published", null, null);
    }

    @Test
    void stopping_waits_no_longer_than_it_is_told_for_a_finished_task_that_hangs() throws Exception {
        BatchWorkers<String> workers = new BatchWorkers<>(List.of(attempt -> {
            attempt.finish();
            return hang();
        }), 1, LIMIT, i -> "task " + i + ": timeout", "stop"::equals, System::nanoTime, "test-worker");
        background.submit(workers::run);
        assertThat(hanging.await(30, TimeUnit.SECONDS)).as("the task finished and hangs").isTrue();

        boolean ended = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> workers.stop(Duration.ofMillis(1)),
                "stop() returns though the task never ends");

        assertThat(ended).as("stop(): every finished task ended").isFalse();
    }

    @Test
    void after_a_result_that_stops_the_batch_no_task_starts_and_those_never_started_have_none() throws Exception {
        List<BatchWorkers.Task<String>> tasks = List.of(attempt -> "a", attempt -> "stop", attempt -> "c",
                attempt -> "d");

        List<String> results = workers(tasks, 1).run();

        assertThat(results).as("results, one thread taking the tasks in order").containsExactly("a", "stop", null,
                null);
    }

    @Test
    void every_task_runs_once_on_several_threads() throws Exception {
        List<BatchWorkers.Task<String>> tasks = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String result = "r" + i;
            tasks.add(attempt -> result);
            expected.add(result);
        }

        assertThat(workers(tasks, 4).run()).as("results in the tasks' order").isEqualTo(expected);
    }
}
