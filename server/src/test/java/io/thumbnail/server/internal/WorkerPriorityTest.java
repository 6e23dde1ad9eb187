package io.thumbnail.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Real threads of this JVM, reniced through the real {@code /proc} and {@code renice} (Linux only). */
class WorkerPriorityTest {
    private static final Path TASKS = Path.of("/proc/self/task");

    @TempDir
    Path dir;

    @Test
    void threads_with_the_given_name_get_the_nice_value_and_others_keep_theirs() throws Exception {
        assumeThat(Files.isDirectory(TASKS)).as("Linux /proc").isTrue();
        try (ParkedThread worker = new ParkedThread("wp-test-worker"); ParkedThread other = new ParkedThread("wp-test-other")) {
            int changed = WorkerPriority.lower(TASKS, "wp-test-worker", 7);

            assumeThat(changed).as("threads reniced (0: no renice on this machine)").isPositive();
            assertThat(changed).as("threads reniced").isEqualTo(1);
            assertThat(nice(worker.id())).as("the named thread's nice value").isEqualTo(7);
            assertThat(nice(other.id())).as("another thread's nice value").isZero();
        }
    }

    @Test
    void a_thread_already_at_the_nice_value_is_not_changed_again() throws Exception {
        assumeThat(Files.isDirectory(TASKS)).as("Linux /proc").isTrue();
        try (ParkedThread worker = new ParkedThread("wp-test-again")) {
            worker.id();
            int first = WorkerPriority.lower(TASKS, "wp-test-again", 6);
            assumeThat(first).as("threads reniced (0: no renice on this machine)").isPositive();

            assertThat(WorkerPriority.lower(TASKS, "wp-test-again", 6)).as("threads reniced the second time").isZero();
            assertThat(nice(worker.id())).as("the thread's nice value").isEqualTo(6);
        }
    }

    @Test
    void the_nice_value_is_read_from_a_stat_line_whose_name_has_spaces() {
        String stat = "4242 (a b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 20 7 1 0 99";

        assertThat(WorkerPriority.niceOf(stat)).as("field 19").isEqualTo(7);
    }

    @Test
    void without_a_proc_folder_nothing_changes() throws Exception {
        assertThat(WorkerPriority.lower(dir.resolve("no-proc"), WorkerPriority.WORKER_NAME, 7))
                .as("threads reniced").isZero();
    }

    @Test
    void the_worker_name_is_the_one_linux_keeps_for_thumbnail_workers() {
        assertThat("thumbnail-worker-1").as("a worker thread's name").startsWith(WorkerPriority.WORKER_NAME);
        assertThat(WorkerPriority.WORKER_NAME).as("Linux keeps 15 characters of a thread name").hasSize(15);
    }

    private static int nice(String id) throws IOException {
        return WorkerPriority.niceOf(Files.readString(TASKS.resolve(id).resolve("stat")));
    }

    /** A named thread that waits until closed, and knows its Linux thread id. */
    private static final class ParkedThread implements AutoCloseable {
        private final CountDownLatch done = new CountDownLatch(1);
        private final CompletableFuture<String> id = new CompletableFuture<>();
        private final Thread thread;

        ParkedThread(String name) {
            thread = new Thread(() -> {
                try {
                    // "/proc/thread-self" links to "<pid>/task/<tid>".
                    id.complete(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
                    done.await(60, TimeUnit.SECONDS);
                } catch (IOException e) {
                    id.completeExceptionally(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name);
            thread.start();
        }

        String id() throws Exception {
            return id.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            done.countDown();
            thread.join(10_000);
        }
    }
}
