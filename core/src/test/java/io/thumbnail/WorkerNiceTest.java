package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WorkerNiceTest {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** {@code thumbnail-worker-N} as Linux keeps a thread's name: its first 15 characters. */
    private static final String WORKER_COMM = "thumbnail-worke";

    @TempDir
    Path dir;
    private ThumbnailService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    /** Thread id to nice value of this JVM's worker threads, read from /proc. */
    private static Map<String, Integer> workerNiceValues() throws IOException {
        Map<String, Integer> values = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(TASKS)) {
            for (Path thread : threads) {
                try {
                    if (Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).strip().equals(WORKER_COMM)) {
                        String stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
                        values.put(thread.getFileName().toString(),
                                Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                    }
                } catch (IOException ended) {
                    // A worker of a service closed by another test ended while we looked.
                }
            }
        }
        return values;
    }

    /** The nice values of the worker threads that were not there in {@code before}: this service's. */
    private static List<Integer> newWorkers(Map<String, Integer> before) throws IOException {
        Map<String, Integer> now = workerNiceValues();
        now.keySet().removeAll(before.keySet());
        return List.copyOf(now.values());
    }

    private Job oneJobDone() throws InterruptedException {
        Job job = service.submit(ImageSource.of(TestImages.png(40, 40, 1), "a.png"), ThumbnailSpec.box(10, 10));
        return service.await(job.id(), Duration.ofSeconds(30));
    }

    @Test
    void workers_lower_their_own_priority_to_the_worker_nice_value() throws Exception {
        assumeTrue(Files.isDirectory(TASKS), "Linux /proc");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "util-linux renice");
        int own = ownNice();
        assumeTrue(own < 6, "the test runs below nice 6");
        // Workers of services closed by earlier tests may still be ending (one abandoned in a job, say): not these.
        Map<String, Integer> before = workerNiceValues();
        service = ThumbnailService.builder().dataDir(dir).workers(1).workerNice(6).build();

        // The worker lowers itself after its first job, before it claims the next: the second job done means it has.
        assertThat(oneJobDone().status()).as("job status").isEqualTo(JobStatus.DONE);
        assertThat(oneJobDone().status()).as("second job status").isEqualTo(JobStatus.DONE);

        assertThat(newWorkers(before)).as("nice value of the service's worker thread").containsExactly(6);
    }

    @Test
    void by_default_workers_keep_the_priority_of_the_thread_that_built_the_service() throws Exception {
        assumeTrue(Files.isDirectory(TASKS), "Linux /proc");
        int own = ownNice();
        Map<String, Integer> before = workerNiceValues();
        service = ThumbnailService.builder().dataDir(dir).workers(1).build();

        assertThat(oneJobDone().status()).as("job status").isEqualTo(JobStatus.DONE);

        assertThat(newWorkers(before)).as("nice values of the service's worker threads").containsExactly(own);
    }

    @Test
    void a_worker_nice_value_outside_0_to_19_is_refused_naming_the_option() {
        ThumbnailService.Builder b = ThumbnailService.builder();

        assertThatThrownBy(() -> b.workerNice(20)).as("20").hasMessageContaining("workerNice")
                .hasMessageContaining("between 0 and 19");
        assertThatThrownBy(() -> b.workerNice(-1)).as("-1").hasMessageContaining("workerNice");
    }

    private static int ownNice() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.UTF_8);
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }
}
