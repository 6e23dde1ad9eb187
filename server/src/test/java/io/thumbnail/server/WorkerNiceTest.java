package io.thumbnail.server;

import io.thumbnail.threads.WorkerThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WorkerNiceTest {

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
        assumeTrue(WorkerThreads.canRenice(), "Linux /proc and util-linux renice");
        // Workers of servers closed by earlier tests may still be ending: only the threads new here are this one's.
        Map<String, Integer> before = WorkerThreads.niceValues();
        try (TestServer server = TestServer.start(dir, "--worker-nice", "5", "--workers", "1")) {
            // The worker lowers itself after its first job, before it claims the next. Two different images: the
            // same one twice would be done by dedupe at submit, without the worker.
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> done = server.postRaw("/api/v1/thumbnails?width=10&wait=30", "image/png",
                        TestImages.gradient(64, 48 + i, "png"));
                assertThat(json(done).at("/status").asText()).as("job %d: %s", i, done.body()).isEqualTo("done");
            }
            assertThat(WorkerThreads.startedSince(before)).as("nice value of the server's worker thread")
                    .containsExactly(5);
        }
    }
}
