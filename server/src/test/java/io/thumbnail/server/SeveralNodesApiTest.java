package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.ServiceTestHooks;
import io.thumbnail.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers ("nodes") sharing one PostgreSQL database (each with its own data directory): a job another node runs shows
 * that node while it runs, a {@code wait=N} and a batch's event stream on one node answer as soon as another node
 * finishes the jobs, {@code /health} names the node, and a database that goes away makes uploads and {@code /health}
 * 503 until it is back.
 */
class SeveralNodesApiTest {
    private static final byte[] PNG = TestImages.gradient(120, 80, "png");

    @TempDir
    Path dir;
    private final TestPostgres postgres = TestPostgres.get();
    private final String database = postgres.newDatabase("nodes_api");
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<TestServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        release.countDown();
        postgres.start();
        servers.forEach(TestServer::close);
    }

    /** Node b: its workers hold each job until released. */
    private TestServer runner() {
        TestServer b = TestServer.start(dir.resolve("b"), builder -> ServiceTestHooks.holdingJobs(builder, started,
                release), "--database", database, "--node-id", "b");
        servers.add(b);
        return b;
    }

    /** Node a: no workers, so every job runs on b. */
    private TestServer waiter() {
        TestServer a = TestServer.startPaused(dir.resolve("a"), "--database", database, "--node-id", "a");
        servers.add(a);
        return a;
    }

    private static String upload(TestServer server, int files) {
        TestServer.FilePart[] parts = new TestServer.FilePart[files];
        for (int i = 0; i < files; i++) {
            parts[i] = new TestServer.FilePart("img" + i + ".png", "image/png", PNG);
        }
        HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?width=40", Map.of(), parts);
        assertThat(response.statusCode()).as("upload; body: %s", response.body()).isEqualTo(202);
        return json(response).get("id").asText();
    }

    @Test
    void a_wait_on_one_node_answers_once_another_node_has_run_the_job_which_shows_that_node_meanwhile()
            throws Exception {
        TestServer b = runner();
        TestServer a = waiter();
        String id = upload(b, 1);
        assertThat(started.await(20, TimeUnit.SECONDS)).as("b runs the job").isTrue();

        JsonNode running = json(a.get("/api/v1/thumbnails/" + id));
        assertThat(running.get("status").asText()).as("status seen on a").isEqualTo("processing");
        assertThat(running.get("node").asText()).as("node seen on a").isEqualTo("b");
        CompletableFuture<HttpResponse<String>> waited = a.getAsync("/api/v1/thumbnails/" + id + "?wait=30");
        a.awaitWaiting(1);
        long released = System.nanoTime();
        release.countDown();

        HttpResponse<String> answer = waited.get(30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - released);
        JsonNode done = json(answer);
        assertThat(done.get("status").asText()).as("status a answers").isEqualTo("done");
        assertThat(done.has("node")).as("a done job names no node").isFalse();
        assertThat(took).as("from release to a's answer (its wait is 30 s)").isLessThan(Duration.ofSeconds(5));
    }

    /**
     * Measured from b's listener hearing of the job's end (after its commit) to a's answer arriving; the best of a few
     * tries, since on a loaded machine one wake-up may lose its core for longer than the bound, while an answer that
     * only a poll or the wait's timeout gave (a second, thirty) would miss it every time.
     */
    @Test
    void a_wait_on_one_node_answers_within_100_ms_of_another_node_finishing_the_job() throws Exception {
        List<Long> tries = new ArrayList<>();
        for (int i = 0; i < 3 && tries.stream().noneMatch(millis -> millis < 100); i++) {
            tries.add(millisFromFinishToAnswer(i));
        }
        assertThat(tries.stream().mapToLong(Long::longValue).min().orElseThrow())
                .as("ms from b finishing the job to a's answer to wait=30, best of %s", tries).isLessThan(100);
    }

    private long millisFromFinishToAnswer(int attempt) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch let = new CountDownLatch(1);
        TestServer b = TestServer.start(dir.resolve("b" + attempt), builder -> ServiceTestHooks.holdingJobs(
                builder, held, let), "--database", database, "--node-id", "b" + attempt);
        TestServer a = TestServer.startPaused(dir.resolve("a" + attempt), "--database", database, "--node-id",
                "a" + attempt);
        try {
            AtomicLong finishedAt = new AtomicLong();
            b.service.addListener(job -> {
                if (job.status().isFinished()) {
                    finishedAt.compareAndSet(0, System.nanoTime());
                }
            });
            HttpResponse<String> uploaded = b.postRaw("/api/v1/thumbnails?width=40", "image/png",
                    TestImages.gradient(100 + attempt, 80, "png"));
            assertThat(uploaded.statusCode()).as("upload; body: %s", uploaded.body()).isEqualTo(202);
            String id = json(uploaded).get("id").asText();
            assertThat(held.await(20, TimeUnit.SECONDS)).as("b runs the job").isTrue();
            CompletableFuture<Long> answeredAt = a.getAsync("/api/v1/thumbnails/" + id + "?wait=30")
                    .thenApply(answer -> {
                        assertThat(json(answer).get("status").asText()).as("status a answers").isEqualTo("done");
                        return System.nanoTime();
                    });
            a.awaitWaiting(1);

            let.countDown();

            long answered = answeredAt.get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (finishedAt.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(finishedAt.get()).as("b's listener told of the job's end").isNotZero();
            return TimeUnit.NANOSECONDS.toMillis(answered - finishedAt.get());
        } finally {
            // Each try's nodes go before the next: b's workers, let go, would take the next try's job.
            let.countDown();
            a.close();
            b.close();
        }
    }

    @Test
    void a_batch_event_stream_on_one_node_follows_the_items_another_node_runs_to_their_end() throws Exception {
        TestServer b = runner();
        TestServer a = waiter();
        String batch = upload(b, 2);
        assertThat(started.await(20, TimeUnit.SECONDS)).as("b runs an item").isTrue();

        HttpResponse<Stream<String>> stream = a.sendAsync(a.request("/api/v1/batches/" + batch + "/events").GET()
                .build(), HttpResponse.BodyHandlers.ofLines()).get(20, TimeUnit.SECONDS);
        Iterator<String> lines = stream.body().iterator();
        List<String> seen = new ArrayList<>();
        // The items as they stand are sent once the stream listens for changes: only then is b let go on.
        while (lines.hasNext() && !seen.contains("event: job")) {
            seen.add(lines.next());
        }
        release.countDown();
        lines.forEachRemaining(seen::add);

        int totals = seen.lastIndexOf("event: batch");
        assertThat(totals).as("the stream on a ends with the batch's totals: %s", seen).isPositive();
        assertThat(TestServer.JSON.readTree(seen.get(totals + 1).substring(5).trim()).at("/counts/done").asInt())
                .as("items done in the totals").isEqualTo(2);
        assertThat(seen.stream().filter(line -> line.contains("\"status\":\"done\"")).count())
                .as("done events on a, one per item, told by b").isGreaterThanOrEqualTo(2);
    }

    @Test
    void health_names_the_node_and_uploads_get_503_with_retry_after_while_the_database_is_down() throws Exception {
        TestServer node = TestServer.start(dir.resolve("solo"), "--database", database, "--node-id", "solo");
        servers.add(node);
        HttpResponse<String> healthy = node.get("/health");
        assertThat(healthy.statusCode()).as("health; body: %s", healthy.body()).isEqualTo(200);
        assertThat(json(healthy).get("node").asText()).as("node in health").isEqualTo("solo");

        postgres.stop();
        try {
            HttpResponse<String> refused = node.postMultipart("/api/v1/thumbnails", Map.of(),
                    new TestServer.FilePart("a.png", "image/png", PNG));
            assertThat(refused.statusCode()).as("upload while down; body: %s", refused.body()).isEqualTo(503);
            assertThat(json(refused).at("/error/code").asText()).isEqualTo("io_error");
            assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            HttpResponse<String> down = node.get("/health");
            assertThat(down.statusCode()).as("health while down; body: %s", down.body()).isEqualTo(503);
            assertThat(json(down).at("/checks/database/status").asText()).isEqualTo("down");
            assertThat(json(down).at("/checks/blobs/status").asText()).as("the blob store").isEqualTo("up");
        } finally {
            postgres.start();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        HttpResponse<String> health = node.get("/health");
        while (health.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            health = node.get("/health");
        }
        assertThat(health.statusCode()).as("health once the database is back; body: %s", health.body())
                .isEqualTo(200);
        String id = upload(node, 1);
        JsonNode done = json(node.get("/api/v1/thumbnails/" + id + "?wait=30"));
        assertThat(done.get("status").asText()).as("a job uploaded after").isEqualTo("done");
    }
}
