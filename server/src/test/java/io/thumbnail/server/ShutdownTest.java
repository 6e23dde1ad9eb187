package io.thumbnail.server;

import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real entry point in its own JVM: it prints its URL, serves and logs each request, and on SIGTERM stops
 * cleanly, keeping its jobs.
 */
class ShutdownTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void sigterm_stops_the_server_within_30_seconds_and_keeps_accepted_jobs() throws Exception {
        Process server = startMain("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString(), "--workers", "1");
        BlockingQueue<String> output = new LinkedBlockingQueue<>();
        Thread reader = collect(server, output);
        try {
            int port = awaitPort(output);
            HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/thumbnails?width=20&wait=30"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.gradient(200, 100, "png"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as("upload to the child server: %s", upload.body()).isEqualTo(200);
            UUID id = UUID.fromString(TestServer.json(upload).get("id").asText());

            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            server.toHandle().destroy();

            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s of SIGTERM").isTrue();
            reader.join(Duration.ofSeconds(10).toMillis()); // the rest of its output, up to end of stream
            List<String> log = List.copyOf(output);
            assertThat(log).as("one access-log line for the upload: method, path, status, ms")
                    .anyMatch(l -> l.matches(".* access - POST /api/v1/thumbnails 200 \\d+ms"));
            assertThat(log).as("shutdown log").anyMatch(l -> l.contains("shutting down"))
                    .anyMatch(l -> l.endsWith("Main - stopped"));
            try (ThumbnailService reopened = ThumbnailService.builder().dataDir(dir).workers(1).build()) {
                Job job = reopened.get(id).orElseThrow();
                assertThat(job.status()).as("the job survives the restart").isEqualTo(JobStatus.DONE);
            }
        } finally {
            server.destroyForcibly();
        }
    }

    private static Process startMain(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Copies every line the child prints into {@code lines}, as it prints it, on a named daemon thread. */
    private static Thread collect(Process process, BlockingQueue<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Reads (and consumes) output until the URL line; the lines after it stay in the queue. */
    private static int awaitPort(BlockingQueue<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server never printed its URL; output:\n" + String.join("\n", seen));
    }
}
