package io.thumbnail.server;

import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real entry point in its own JVM: it prints its URL, serves and logs each request, and on SIGTERM stops
 * cleanly, keeping its jobs.
 */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigterm_stops_the_server_within_30_seconds_and_keeps_accepted_jobs() throws Exception {
        try (ChildServer server = ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString(),
                "--workers", "1")) {
            int port = server.awaitPort();
            HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/thumbnails?width=20&wait=30"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.gradient(200, 100, "png"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as("upload to the child server: %s", upload.body()).isEqualTo(200);
            UUID id = UUID.fromString(TestServer.json(upload).get("id").asText());

            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            server.process().toHandle().destroy();

            assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s of SIGTERM").isTrue();
            server.awaitEndOfOutput(Duration.ofSeconds(10)); // the rest of its output, up to end of stream
            List<String> log = server.output();
            assertThat(log).as("one access-log line for the upload: method, path, status, ms")
                    .anyMatch(l -> l.matches(".* access - POST /api/v1/thumbnails 200 \\d+ms"));
            assertThat(log).as("shutdown log").anyMatch(l -> l.contains("shutting down"))
                    .anyMatch(l -> l.endsWith("ServerProcess - stopped"));
            try (ThumbnailService reopened = ThumbnailService.builder().dataDir(dir).workers(1).build()) {
                Job job = reopened.get(id).orElseThrow();
                assertThat(job.status()).as("the job survives the restart").isEqualTo(JobStatus.DONE);
            }
        }
    }
}
