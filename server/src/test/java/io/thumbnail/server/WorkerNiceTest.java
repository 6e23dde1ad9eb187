package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WorkerNiceTest {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** {@code thumbnail-worker-N} as Linux keeps a thread's name: its first 15 characters. */
    private static final String WORKER_COMM = "thumbnail-worke";
    private static final byte[] PNG = TestImages.gradient(64, 48, "png");

    @TempDir
    Path dir;

    @Test
    void worker_nice_is_10_by_default_and_takes_0_to_19() {
        assertThat(ServerConfig.defaults().workerNice()).as("default").isEqualTo(10);
        assertThat(ServerConfig.parse(List.of("--worker-nice", "0"), Map.of()).workerNice()).as("0").isZero();
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_WORKER_NICE", "19")).workerNice()).as("env 19")
                .isEqualTo(19);
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--worker-nice", "20"), Map.of())).as("20").hasMessageContaining("--worker-nice");
    }

    @Test
    void the_server_s_workers_run_at_the_worker_nice_value() throws IOException {
        assumeTrue(Files.isDirectory(TASKS), "Linux /proc");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "util-linux renice");
        // Workers of servers closed by earlier tests may still be ending: only the threads new here are this one's.
        Map<String, Integer> before = workerNiceValues();
        try (TestServer server = TestServer.start(dir, "--worker-nice", "5", "--workers", "1")) {
            // The worker lowers itself after its first job, before it claims the next.
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> done = server.postRaw("/api/v1/thumbnails?width=10&wait=30", "image/png", PNG);
                assertThat(json(done).at("/status").asText()).as("job %d: %s", i, done.body()).isEqualTo("done");
            }
            Map<String, Integer> workers = workerNiceValues();
            workers.keySet().removeAll(before.keySet());

            assertThat(workers.values()).as("nice value of the server's worker thread").containsExactly(5);
        }
    }

    /** Thread id to nice value of this JVM's worker threads. */
    private static Map<String, Integer> workerNiceValues() throws IOException {
        Map<String, Integer> values = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(TASKS)) {
            for (Path thread : threads) {
                try {
                    if (Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).strip().equals(WORKER_COMM)) {
                        values.put(thread.getFileName().toString(),
                                niceOf(Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8)));
                    }
                } catch (IOException ended) {
                    // That thread ended while we looked.
                }
            }
        }
        return values;
    }

    /** Field 19 of a stat line; the thread name before it is in parentheses. */
    private static int niceOf(String stat) {
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }
}
