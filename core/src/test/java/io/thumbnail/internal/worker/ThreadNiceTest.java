package io.thumbnail.internal.worker;

import io.thumbnail.threads.WorkerThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadNiceTest {
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    @TempDir
    Path dir;

    /** Runs {@code lower} on a new thread; returns its nice value before and after, and what lower said. */
    private record Lowered(int before, int after, boolean result) {
    }

    private static Lowered onNewThread(ThreadNice nice, int value) throws InterruptedException {
        AtomicInteger before = new AtomicInteger(-100);
        AtomicInteger after = new AtomicInteger(-100);
        AtomicBoolean result = new AtomicBoolean();
        Thread t = new Thread(() -> {
            before.set(currentNice());
            result.set(nice.lower(value));
            after.set(currentNice());
        }, "nice-test");
        t.start();
        t.join(30_000);
        return new Lowered(before.get(), after.get(), result.get());
    }

    private static int currentNice() {
        try {
            return WorkerThreads.ownNice();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assumeLinuxWithRenice() {
        assumeTrue(Files.isReadable(THREAD_SELF.resolve("stat")), "Linux /proc/thread-self");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "util-linux renice");
    }

    @Test
    void a_thread_lowers_its_own_priority_and_no_other_thread_changes() throws Exception {
        assumeLinuxWithRenice();
        int callerBefore = currentNice();
        assumeTrue(callerBefore < 7, "the test runs below nice 7");

        Lowered lowered = onNewThread(new ThreadNice(THREAD_SELF, "renice"), 7);

        assertThat(lowered.result()).as("lower() says it worked").isTrue();
        assertThat(lowered.after()).as("the thread's nice value after lowering itself (before: %d)", lowered.before())
                .isEqualTo(7);
        assertThat(currentNice()).as("the calling thread's nice value").isEqualTo(callerBefore);
    }

    @Test
    void a_thread_already_at_that_priority_or_lower_is_left_as_it_is() throws Exception {
        assumeLinuxWithRenice();
        assumeTrue(currentNice() < 8, "the test runs below nice 8");
        // Any command would fail: a thread already at the value or lower in priority must not need one.
        ThreadNice noCommand = new ThreadNice(THREAD_SELF, dir.resolve("no-such-renice").toString());
        AtomicBoolean same = new AtomicBoolean();
        AtomicBoolean higher = new AtomicBoolean();
        AtomicInteger after = new AtomicInteger(-100);
        Thread t = new Thread(() -> {
            new ThreadNice(THREAD_SELF, "renice").lower(8);
            same.set(noCommand.lower(8));
            higher.set(noCommand.lower(4));
            after.set(currentNice());
        }, "nice-test");
        t.start();
        t.join(30_000);

        assertThat(same.get()).as("lower() to the value the thread has").isTrue();
        assertThat(higher.get()).as("lower() to a higher priority than the thread has").isTrue();
        assertThat(after.get()).as("nice value, never raised back").isEqualTo(8);
    }

    @Test
    void without_renice_the_thread_runs_on_unchanged() throws Exception {
        assumeLinuxWithRenice();
        ThreadNice noCommand = new ThreadNice(THREAD_SELF, dir.resolve("no-such-renice").toString());
        assumeTrue(currentNice() < 9, "the test runs below nice 9");

        Lowered lowered = onNewThread(noCommand, 9);

        assertThat(lowered.result()).as("lower() without renice").isFalse();
        assertThat(lowered.after()).as("nice value").isEqualTo(lowered.before());
    }

    @Test
    void without_proc_thread_self_nothing_changes_and_nothing_throws() throws Exception {
        Lowered lowered = onNewThread(new ThreadNice(dir.resolve("no-proc"), "renice"), 9);

        assertThat(lowered.result()).as("lower() where /proc/thread-self does not exist").isFalse();
    }

    @Test
    void a_nice_value_outside_1_to_19_is_refused() {
        ThreadNice nice = new ThreadNice(THREAD_SELF, "renice");

        assertThatThrownBy(() -> nice.lower(0)).as("0").hasMessageContaining("between 1 and 19");
        assertThatThrownBy(() -> nice.lower(20)).as("20").hasMessageContaining("between 1 and 19");
    }

    @Test
    void the_nice_value_is_field_19_of_a_stat_line_whatever_the_thread_name() {
        String stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 30 10 20 0 12345 "
                + "1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        assertThat(ThreadNice.niceOf(stat)).as("nice of a thread named 'a (b) c'").isEqualTo(10);
    }
}
