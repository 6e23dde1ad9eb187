package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Health, metrics, the API description, and the error shape of routes that do not exist or fail. */
class OperationsApiTest {
    private static final byte[] PNG = TestImages.gradient(120, 80, "png");

    @TempDir
    Path dir;

    @Test
    void health_is_up_with_its_version_and_database_disk_queue_and_worker_checks() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> response = server.get("/health");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode health = json(response);
            assertThat(health.get("status").asText()).isEqualTo("up");
            assertThat(health.get("version").asText()).as("the version, as --version prints it")
                    .isEqualTo(ServerVersion.get()).isNotEqualTo("unknown");
            assertThat(health.at("/checks/database/status").asText()).isEqualTo("up");
            assertThat(health.at("/checks/disk/freeBytes").asLong()).isPositive();
            assertThat(health.at("/checks/queue/depth").asLong()).isZero();
            assertThat(health.at("/checks/workers/total").asInt()).isEqualTo(2);
        }
    }

    @Test
    void first_answer_completes_once_a_request_has_been_answered() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertThat(server.server.firstAnswer()).as("before any request").isNotDone();

            server.get("/health");

            // Main loads Jackson only from then on, so it does not compete with the first answer.
            assertThat(server.server.firstAnswer()).as("after /health").succeedsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void requests_answered_before_the_metrics_exist_are_counted_once_they_do() {
        try (TestServer server = TestServer.startPaused(dir)) {
            server.get("/health");
            // The request is logged, and its count registered, just after the answer is sent.
            server.server.firstAnswer().join();

            String metrics = server.get("/metrics").body();

            assertThat(metrics).as("the first /health in /metrics")
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/health\",status=\"200\"} 1");
        }
    }

    @Test
    void health_is_503_when_a_check_fails() {
        try (TestServer server = TestServer.start(dir, "--min-free-bytes", "8000000G")) {
            HttpResponse<String> response = server.get("/health");

            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode health = json(response);
            assertThat(health.get("status").asText()).isEqualTo("down");
            assertThat(health.at("/checks/disk/status").asText()).as("no disk has 8 EiB free").isEqualTo("down");
            assertThat(health.at("/checks/database/status").asText()).isEqualTo("up");
        }
    }

    @Test
    void metrics_say_the_disk_is_down_when_health_does_and_how_much_is_free() {
        try (TestServer low = TestServer.start(dir.resolve("low"), "--min-free-bytes", "8000000G")) {
            String metrics = low.get("/metrics").body();

            assertThat(metrics).as("no disk has 8 EiB free: /health says %s", low.get("/health").body())
                    .contains("thumbnail_store_up{store=\"disk\"} 0.0")
                    .containsPattern("(?m)^thumbnail_disk_free_bytes [0-9.E]+$");
        }
        try (TestServer enough = TestServer.start(dir.resolve("enough"))) {
            assertThat(enough.get("/metrics").body()).as("the default 100 MB free")
                    .contains("thumbnail_store_up{store=\"disk\"} 1.0");
        }
    }

    @Test
    void health_and_metrics_count_the_workers_left_behind_in_overrunning_jobs() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertThat(json(server.get("/health")).at("/checks/workers/abandoned").isInt())
                    .as("workers.abandoned in /health").isTrue();
            assertThat(server.get("/metrics").body()).as("/metrics").contains("thumbnail_workers_abandoned 0.0");
        }
    }

    @Test
    void deleted_jobs_are_counted_by_state_from_zero_before_the_first_delete() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertThat(server.get("/metrics").body()).as("a fresh server's metrics").contains(
                    "thumbnail_jobs_deleted_total{status=\"queued\"} 0.0",
                    "thumbnail_jobs_deleted_total{status=\"processing\"} 0.0",
                    "thumbnail_jobs_deleted_total{status=\"done\"} 0.0",
                    "thumbnail_jobs_deleted_total{status=\"failed\"} 0.0");
        }
    }

    @Test
    void metrics_count_jobs_by_outcome_and_requests_by_route() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            CountDownLatch finished = new CountDownLatch(2);
            // Listeners run in registration order on one thread: once this one has seen both ends, so have the metrics.
            AutoCloseable listener = server.service.addListener(job -> {
                if (job.status().isFinished()) {
                    finished.countDown();
                }
            });
            String id = json(server.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG)).get("id").asText();
            server.postRaw("/api/v1/thumbnails?width=10", "image/png", Arrays.copyOf(PNG, PNG.length / 2));
            server.runNextJob();
            server.runNextJob();
            assertThat(finished.await(10, TimeUnit.SECONDS)).as("both jobs reported finished").isTrue();
            listener.close();
            server.get("/api/v1/thumbnails/" + id);

            HttpResponse<String> response = server.get("/metrics");

            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            String metrics = response.body();
            assertThat(metrics).contains("thumbnail_jobs_submitted_total 2.0", "thumbnail_jobs_done_total 1.0",
                    "thumbnail_jobs_failed_total{code=\"corrupt_image\"} 1.0",
                    "# HELP thumbnail_jobs_failed_total jobs that failed, by error code",
                    "thumbnail_queue_depth 0.0", "thumbnail_workers_busy 0.0", "jvm_memory_used_bytes");
            assertThat(metrics).as("processing time is a histogram").contains("thumbnail_jobs_processing_seconds_bucket");
            assertThat(metrics).as("requests are labelled by route, not by raw path")
                    .contains("route=\"/api/v1/thumbnails/{id}\",status=\"200\"")
                    .doesNotContain(id);
        }
    }

    @Test
    void requests_for_paths_no_route_takes_are_counted_together_as_unmatched() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertThat(server.get("/no/such/path").statusCode()).isEqualTo(404);
            assertThat(server.get("/api/v1/no/such/path").statusCode()).isEqualTo(404);

            String metrics = server.get("/metrics").body();

            assertThat(metrics).as("one series for every path no route takes, whatever the path")
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\","
                            + "status=\"404\"} 2")
                    .doesNotContain("/no/such/path");
        }
    }

    @Test
    void requests_with_methods_http_does_not_define_are_counted_together_as_other() {
        try (TestServer server = TestServer.startPaused(dir)) {
            server.send("AAA", "/api/v1/thumbnails");
            server.send("BBB", "/no/such/path");
            server.send("PROPFIND", "/health");

            String metrics = server.get("/metrics").body();

            assertThat(metrics).as("one method label for every method HTTP does not define, whatever its name")
                    .contains("http_server_requests_seconds_count{method=\"OTHER\"")
                    .doesNotContain("method=\"AAA\"").doesNotContain("method=\"BBB\"")
                    .doesNotContain("method=\"PROPFIND\"");
        }
    }

    @Test
    void jobs_deleted_are_counted_by_the_state_they_were_in_and_jobs_running_is_a_gauge() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            String done = json(server.postRaw("/api/v1/thumbnails?width=12", "image/png", PNG)).get("id").asText();
            server.runNextJob();
            String kept = json(server.postRaw("/api/v1/thumbnails?width=14", "image/png", PNG)).get("id").asText();
            assertThat(server.delete("/api/v1/thumbnails/" + done).statusCode()).isEqualTo(200);
            assertThat(server.delete("/api/v1/thumbnails/" + kept).statusCode()).isEqualTo(200);
            assertThat(io.thumbnail.ServiceTestHooks.awaitEvents(server.service)).as("deletions delivered").isTrue();

            String metrics = server.get("/metrics").body();

            assertThat(metrics).as("%s deleted done, %s deleted queued", done, kept)
                    .contains("thumbnail_jobs_deleted_total{status=\"done\"} 1.0",
                            "thumbnail_jobs_deleted_total{status=\"queued\"} 1.0", "thumbnail_jobs_running 0.0");
        }
    }

    @Test
    void a_duplicate_answered_done_at_once_counts_as_submitted_and_done_with_no_processing_time() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            CountDownLatch finished = new CountDownLatch(2);
            AutoCloseable listener = server.service.addListener(job -> {
                if (job.status().isFinished()) {
                    finished.countDown();
                }
            });
            server.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG);
            server.runNextJob();
            HttpResponse<String> duplicate = server.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG);
            assertThat(json(duplicate).get("status").asText()).as("the duplicate, done at once").isEqualTo("done");
            assertThat(finished.await(10, TimeUnit.SECONDS)).as("both jobs reported finished").isTrue();
            listener.close();

            String metrics = server.get("/metrics").body();

            assertThat(metrics).contains("thumbnail_jobs_submitted_total 2.0", "thumbnail_jobs_done_total 2.0",
                    "thumbnail_jobs_processing_seconds_count 1");
        }
    }

    /** Every operation in the OpenAPI document, as {@code "METHOD /path"}. */
    private static List<String> operations(JsonNode openApi) {
        List<String> documented = new ArrayList<>();
        openApi.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return documented;
    }

    @Test
    void the_openapi_document_describes_every_registered_route() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode openApi = json(server.get("/openapi.json"));

            assertThat(openApi.get("openapi").asText()).startsWith("3.1");
            assertThat(server.server.routes()).as("routes registered with Javalin").isNotEmpty();
            assertThat(operations(openApi)).as("operations in /openapi.json")
                    .containsExactlyInAnyOrderElementsOf(server.server.routes());
        }
    }

    @Test
    void the_openapi_document_gives_every_get_but_the_event_stream_its_head() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            List<String> documented = operations(json(server.get("/openapi.json")));
            String events = "/api/v1/batches/{id}/events";
            List<String> heads = server.server.routes().stream()
                    .filter(route -> route.startsWith("GET ") && !route.equals("GET " + events))
                    .map(route -> "HEAD " + route.substring("GET ".length()))
                    .toList();

            assertThat(heads).as("GET routes registered with Javalin, but the event stream").hasSizeGreaterThan(5);
            assertThat(documented).as("operations in /openapi.json: a HEAD beside each GET that answers one")
                    .containsAll(heads)
                    .as("operations in /openapi.json: the event stream answers HEAD 405")
                    .doesNotContain("HEAD " + events);
        }
    }

    @Test
    void answers_are_not_compressed_so_no_cache_can_serve_gzip_to_a_client_that_did_not_ask() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            for (String path : List.of("/openapi.json", "/api/v1/thumbnails?limit=50", "/metrics", "/")) {
                HttpResponse<String> response = server.get(path, "Accept-Encoding", "gzip");

                assertThat(response.headers().firstValue("Content-Encoding")).as("Content-Encoding of %s", path)
                        .isEmpty();
            }
        }
    }

    @Test
    void every_operation_has_an_operation_id_and_the_document_says_the_servers_version() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode openApi = json(server.get("/openapi.json"));
            JsonNode health = json(server.get("/health"));

            List<String> ids = new ArrayList<>();
            openApi.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                if (op.getKey().equals("parameters")) {
                    return;
                }
                assertThat(op.getValue().path("operationId").asText()).as("operationId of %s %s", op.getKey(),
                        path.getKey()).isNotBlank();
                ids.add(op.getValue().path("operationId").asText());
            }));
            assertThat(ids).as("code generators name methods after them").doesNotHaveDuplicates();
            assertThat(openApi.at("/info/version").asText()).isEqualTo(health.get("version").asText());
        }
    }

    @Test
    void docs_render_the_document_with_assets_from_the_jar() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> page = server.get("/docs");
            HttpResponse<String> script = server.get("/docs/assets/docs.js");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.body()).contains("/docs/assets/docs.js").doesNotContain("https://");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.body()).contains("fetch('/openapi.json')");
        }
    }

    @Test
    void head_gives_the_status_and_headers_get_gives_on_every_read_route() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String missingJob = "/api/v1/thumbnails/" + UUID.randomUUID();
            for (String path : List.of("/health", "/openapi.json", "/docs", "/", missingJob,
                    "/api/v1/thumbnails?limit=abc", "/api/v1/batches/" + UUID.randomUUID(), "/docs/assets/nope.js")) {
                HttpResponse<String> get = server.get(path);
                HttpResponse<String> head = server.send("HEAD", path);

                assertThat(head.statusCode()).as("HEAD %s, GET answered %s", path, get.statusCode())
                        .isEqualTo(get.statusCode());
                assertThat(head.headers().firstValue("Content-Type")).as("HEAD %s: Content-Type", path)
                        .isEqualTo(get.headers().firstValue("Content-Type"));
                assertThat(head.body()).as("HEAD %s: body", path).isEmpty();
            }
            assertThat(server.send("HEAD", missingJob).statusCode()).as("a job that does not exist").isEqualTo(404);
            HttpResponse<String> events = server.send("HEAD", "/api/v1/batches/" + UUID.randomUUID() + "/events");
            assertThat(events.statusCode()).as("HEAD of an event stream").isEqualTo(405);
            assertThat(events.headers().firstValue("Allow")).as("Allow").contains("GET");
        }
    }

    @Test
    void unknown_paths_and_wrong_methods_get_json_errors() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> unknown = server.get("/nope");
            HttpResponse<String> wrongMethod = server.send("PUT", "/health");

            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(unknown).at("/error/code").asText()).isEqualTo("not_found");
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(json(wrongMethod).at("/error/code").asText()).isEqualTo("method_not_allowed");
            assertThat(json(wrongMethod).at("/error/message").asText()).contains("GET");
        }
    }

    @Test
    void requests_jetty_refuses_before_routing_still_get_json_errors() throws Exception {
        try (TestServer server = TestServer.startPaused(dir);
             Socket socket = new Socket("127.0.0.1", server.server.port())) {
            socket.getOutputStream().write("GET /api/v1/thumbnails/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String badUri = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            HttpResponse<String> hugeHeader = server.get("/health", "X-Padding", "a".repeat(20_000));

            assertThat(badUri).as("a URI with a bad escape").startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("Content-Type: application/json").contains("{\"error\":{\"code\":\"invalid_request\"");
            assertThat(hugeHeader.statusCode()).isEqualTo(431);
            assertThat(json(hugeHeader).at("/error/code").asText()).isEqualTo("too_large");
            assertThat(json(hugeHeader).at("/error/message").asText()).as("names the limit and the flag")
                    .isEqualTo("the request line and headers are larger than the 8192 bytes this server takes"
                            + " (--max-header-bytes)");
        }
    }

    @Test
    void a_broken_database_is_503_without_internals() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            // The database broken underneath the running service: its queries now fail in SQLite.
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"));
                 Statement statement = db.createStatement()) {
                statement.execute("ALTER TABLE jobs RENAME TO jobs_gone");
            }

            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("io_error");
            assertThat(response.body()).as("no exception class, stack frame, SQL or path leaks")
                    .doesNotContain("Exception", "at io.", "jobs", "SQL", dir.toString());
            server.checkStatus();
            JsonNode health = json(server.get("/health"));
            assertThat(health.at("/checks/queue/status").asText()).as("the queue, which cannot be counted")
                    .isEqualTo("unknown");
        }
    }

    @Test
    void health_and_metrics_count_a_job_left_running_by_a_process_that_died_as_a_crash_suspect() throws Exception {
        String id;
        try (TestServer first = TestServer.startPaused(dir)) {
            id = json(first.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG)).get("id").asText();
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"));
             Statement statement = db.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE jobs SET status = 'PROCESSING', attempts = 1,"
                    + " lease_owner = 'a-dead-process', lease_until = 0, started_at = 0 WHERE id = '" + id + "'"))
                    .as("the job left running by the process that died").isEqualTo(1);
        }

        try (TestServer server = TestServer.startPaused(dir)) {
            server.checkStatus();
            JsonNode queue = json(server.get("/health")).at("/checks/queue");
            String metrics = server.get("/metrics").body();

            assertThat(queue.toString()).as("the queue in /health once the job was taken back at the start")
                    .isEqualTo("{\"status\":\"up\",\"depth\":1,\"processing\":0,\"suspects\":1,"
                            + "\"capacity\":10000}");
            assertThat(metrics).as("the suspects gauge").contains("thumbnail_jobs_suspects 1.0");
            server.runNextJob();
            server.checkStatus();
            assertThat(json(server.get("/health")).at("/checks/queue/suspects").asLong())
                    .as("suspects once it ran (alone) and is done").isZero();
        }
    }

    @Test
    void a_queue_that_cannot_be_counted_has_no_depth_in_health_and_no_sample_in_metrics() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"));
                 Statement statement = db.createStatement()) {
                statement.execute("ALTER TABLE jobs RENAME TO jobs_gone");
            }
            server.checkStatus();

            JsonNode queue = json(server.get("/health")).at("/checks/queue");
            String metrics = server.get("/metrics").body();

            assertThat(queue.toString()).as("the queue in /health: unknown, no depth (-1 is not one)")
                    .isEqualTo("{\"status\":\"unknown\",\"capacity\":10000}");
            assertThat(metrics).as("the queue gauges: NaN, which Prometheus takes as no sample")
                    .contains("thumbnail_queue_depth NaN", "thumbnail_jobs_running NaN", "thumbnail_jobs_suspects NaN")
                    .doesNotContain("thumbnail_queue_depth -1", "thumbnail_jobs_running -1",
                            "thumbnail_jobs_suspects -1");
        }
    }

    @Test
    void metrics_say_whether_each_store_is_up_as_health_does() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            String up = server.get("/metrics").body();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"));
                 Statement statement = db.createStatement()) {
                statement.execute("ALTER TABLE jobs RENAME TO jobs_gone");
            }
            server.checkStatus();

            String databaseDown = server.get("/metrics").body();

            assertThat(up).as("both stores up")
                    .contains("thumbnail_store_up{store=\"database\"} 1.0", "thumbnail_store_up{store=\"blobs\"} 1.0");
            assertThat(databaseDown).as("the database down, as /health says: %s", server.get("/health").body())
                    .contains("thumbnail_store_up{store=\"database\"} 0.0", "thumbnail_store_up{store=\"blobs\"} 1.0");
        }
    }

    @Test
    void a_request_after_the_service_closed_is_503_unavailable_with_retry_after() {
        try (TestServer server = TestServer.startPaused(dir)) {
            server.service.close();

            HttpResponse<String> upload = server.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG);
            HttpResponse<String> list = server.get("/api/v1/thumbnails");

            assertThat(upload.statusCode()).as("upload after close").isEqualTo(503);
            assertThat(json(upload).at("/error/code").asText()).isEqualTo("unavailable");
            assertThat(upload.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            assertThat(list.statusCode()).as("list after close").isEqualTo(503);
        }
    }

    @Test
    void job_status_names_match_the_core_enum() {
        // The API's status strings are JobStatus ids; the OpenAPI enum must list exactly those.
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode statuses = json(server.get("/openapi.json")).at("/components/schemas/Job/properties/status/enum");
            List<String> documented = new ArrayList<>();
            statuses.forEach(s -> documented.add(s.asText()));
            assertThat(documented).containsExactly(Arrays.stream(JobStatus.values()).map(JobStatus::id).toArray(String[]::new));
        }
    }
}
