package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No request body is ever held whole on the heap: the server's own entry point in a JVM of 256 MB of heap takes eight
 * 50 MB uploads at once (raw and multipart), answers each 202 or 503, makes their thumbnails, and never runs out of
 * memory; its resident memory stays under 500 MB throughout (the kernel's high-water mark). Bodies are generated as
 * they are sent, so the test itself holds none of them either.
 */
class UploadMemoryTest {
    private static final int UPLOADS = 8;
    private static final long BODY_BYTES = 50_000_000;
    private static final long MAX_RSS_KB = 500 * 1024;

    @TempDir
    Path dir;

    @Test
    void eight_concurrent_50_mb_uploads_at_256_mb_of_heap_are_answered_without_running_out_of_memory()
            throws Exception {
        try (ChildServer server = ChildServer.start("--host", "127.0.0.1", "--port", "0", "--data-dir",
                dir.toString())) {
            String base = "http://127.0.0.1:" + server.awaitPort();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                sent.add(http.sendAsync(i % 2 == 0 ? raw(base, i) : multipart(base, i),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<String> jobs = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> each : sent) {
                HttpResponse<String> response = each.get(5, TimeUnit.MINUTES);
                assertThat(response.statusCode()).as("answer: %s", response.body()).isIn(202, 503);
                if (response.statusCode() == 202) {
                    jobs.add(TestServer.json(response).get("id").asText());
                } else {
                    assertThat(response.headers().firstValue("Retry-After")).as("a 503 says when to retry").isPresent();
                }
            }
            assertThat(jobs).as("accepted uploads").isNotEmpty();
            for (String id : jobs) {
                HttpResponse<String> done = http.send(HttpRequest.newBuilder(
                                URI.create(base + "/api/v1/thumbnails/" + id + "?wait=30")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(TestServer.json(done).get("status").asText()).as("job %s: %s", id, done.body())
                        .isEqualTo("done");
            }

            long rssKb = highWaterMarkKb(server.process().pid());
            assertThat(server.output()).as("the server's output").noneMatch(l -> l.contains("OutOfMemoryError"));
            assertThat(rssKb).as("resident memory high-water mark, KB").isLessThan(MAX_RSS_KB);
        }
    }

    /** A small JPEG, then junk up to {@value #BODY_BYTES} bytes: a valid upload, different for every seed. */
    private static InputStream image(int seed, long bytes) {
        byte[] jpeg = TestImages.gradient(320 + seed, 240, "jpg");
        return new SequenceInputStream(new ByteArrayInputStream(jpeg), new Junk(bytes - jpeg.length, seed));
    }

    private static HttpRequest raw(String base, int seed) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/thumbnails?width=100"))
                .header("Content-Type", "image/jpeg").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> image(seed, BODY_BYTES)), BODY_BYTES))
                .build();
    }

    private static HttpRequest multipart(String base, int seed) {
        String boundary = "b0undary" + seed;
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"width\"\r\n\r\n100\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big" + seed + ".jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long length = head.length + BODY_BYTES + tail.length;
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/thumbnails"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head),
                                image(seed, BODY_BYTES)), new ByteArrayInputStream(tail))), length))
                .build();
    }

    /** Pseudo-random bytes, made as they are read. */
    private static final class Junk extends InputStream {
        private final Random random;
        private long left;

        Junk(long bytes, int seed) {
            this.left = bytes;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            left -= n;
            return n;
        }
    }

    /** VmHWM of the process: the most resident memory it has had. */
    private static long highWaterMarkKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + pid + "/status");
    }
}
