package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.JobQuery;
import io.thumbnail.corpus.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a hostile client can send: every file of the corpus's {@code hostile/} folder (when {@code THUMBNAIL_CORPUS}
 * names the corpus) and malformed requests made here. Each is refused with a 4xx and a JSON error, or becomes a job
 * that fails with its code; the server stays healthy and its heap returns near where it began.
 */
class HostileClientTest {
    /** The outcome each hostile file must have: the corpus's own expectations (core's conformance test uses them). */
    private static final Map<String, String> EXPECTED = hostileOutcomes();
    /** Heap growth allowed after the whole barrage, with the server in this JVM. */
    private static final long HEAP_SLACK_BYTES = 64L << 20;

    @TempDir
    static Path dir;
    private static TestServer server;
    private static Path corpus;
    private static Map<String, String> manifest;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(dir, "--max-upload-bytes", "10M", "--rate-limit", "off", "--read-rate-limit", "off");
        corpus = Corpus.root();
        if (corpus != null) {
            manifest = new LinkedHashMap<>();
            Corpus.manifest(corpus).forEach((file, expected) -> {
                if (file.startsWith("hostile/")) {
                    manifest.put(file, expected);
                }
            });
        }
    }

    private static Map<String, String> hostileOutcomes() {
        Map<String, String> outcomes = new HashMap<>();
        Corpus.OUTCOMES.forEach((file, outcome) -> {
            if (file.startsWith("hostile/")) {
                outcomes.put(file, outcome);
            }
        });
        // An empty upload is refused by the server before any decoder sees it, with a code of the server's own.
        outcomes.put("hostile/empty.jpg", "refuse any");
        return outcomes;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- the corpus ----

    @Test
    void every_hostile_file_of_the_manifest_has_an_expectation_that_agrees_with_it() {
        assumeCorpus();
        assertThat(EXPECTED).as("expectations for the manifest's hostile files").containsOnlyKeys(manifest.keySet());
        manifest.forEach((file, expected) -> assertThat(EXPECTED.get(file).startsWith("refuse"))
                .as("%s: manifest says '%s'", file, expected).isEqualTo(expected.startsWith("reject")));
    }

    @TestFactory
    Stream<DynamicTest> every_hostile_file_is_refused_or_fails_with_its_code() {
        assumeCorpus();
        return manifest.keySet().stream().map(file -> DynamicTest.dynamicTest(file, () -> checkHostileFile(file)));
    }

    private static void assumeCorpus() {
        assumeTrue(manifest != null, "THUMBNAIL_CORPUS is not set; run with THUMBNAIL_CORPUS=/work/shared/corpus");
    }

    private static void checkHostileFile(String file) throws IOException {
        String[] expected = EXPECTED.get(file).split(" ");
        byte[] bytes = Files.readAllBytes(corpus.resolve(file));
        HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?width=200&height=200&wait=30",
                Map.of(), new TestServer.FilePart(Path.of(file).getFileName().toString(), "application/octet-stream", bytes));
        assertNoLeak(file, response);
        if (expected[0].equals("thumbnail")) {
            assertThat(response.statusCode()).as("%s: %s", file, response.body()).isEqualTo(200);
            assertThat(json(response).get("status").asText()).isEqualTo("done");
            return;
        }
        String code;
        if (response.statusCode() >= 400) {
            assertError(file, response);
            code = json(response).at("/error/code").asText();
        } else {
            JsonNode job = json(response);
            assertThat(job.get("status").asText()).as("%s: a job that was accepted must fail: %s", file, response.body())
                    .isEqualTo("failed");
            code = job.at("/error/code").asText();
        }
        if (!expected[1].equals("any")) {
            assertThat(code).as("%s: error code", file).isEqualTo(expected[1]);
        }
    }

    // ---- malformed requests ----

    private record Malformed(String name, Supplier<HttpResponse<String>> send) {
    }

    private static List<Malformed> malformed() {
        List<Malformed> all = new ArrayList<>();
        String thumbnails = "/api/v1/thumbnails";
        jsonBody(all, "bad JSON", "{\"url\": ");
        jsonBody(all, "JSON that is not an object", "[\"https://example.com/a.png\"]");
        jsonBody(all, "JSON null", "null");
        jsonBody(all, "a number for the url", "{\"url\": 123}");
        jsonBody(all, "a string for urls", "{\"urls\": \"https://example.com/a.png\"}");
        jsonBody(all, "numbers in urls", "{\"urls\": [1, 2, 3]}");
        jsonBody(all, "an object for publish", "{\"url\": \"https://example.com/a.png\", \"publish\": {}}");
        jsonBody(all, "a huge number", "{\"url\": 1e999999999}");
        jsonBody(all, "an unknown field", "{\"url\": \"https://example.com/a.png\", \"widht\": 100}");
        jsonBody(all, "JSON nested 100000 deep", "[".repeat(100_000));
        jsonBody(all, "10000 URLs", tenThousandUrls());
        jsonBody(all, "a URL that is not one", "{\"url\": \"ht tp://\\u0000/../\"}");
        for (String query : List.of("width=-1", "width=0", "width=99999999999999999999", "height=-20&width=10",
                "width=1e3", "width=ten", "width=4097", "height=32768", "quality=101&width=10", "quality=-5&width=10", "wait=-1&width=10",
                "wait=100000000000&width=10", "fit=stretchy&width=10", "format=exe&width=10", "publish=elsewhere&width=10")) {
            all.add(new Malformed("upload with " + query, () -> server.postRaw(thumbnails + "?" + query, "image/png",
                    TestImages.gradient(8, 8, "png"))));
        }
        for (String query : List.of("limit=-1", "limit=99999999999", "status=exploded", "published=myspace")) {
            all.add(new Malformed("listing with " + query, () -> server.get(thumbnails + "?" + query)));
        }
        all.add(new Malformed("PUT on the collection", () -> server.send("PUT", thumbnails)));
        all.add(new Malformed("PATCH on a job", () -> server.send("PATCH", thumbnails + "/" + UUID.randomUUID())));
        all.add(new Malformed("POST on health", () -> server.send("POST", "/health")));
        all.add(new Malformed("DELETE on a batch", () -> server.send("DELETE", "/api/v1/batches/" + UUID.randomUUID())));
        all.add(new Malformed("an id that is not a UUID", () -> server.get(thumbnails + "/..%2F..%2Fetc%2Fpasswd")));
        all.add(new Malformed("multipart without a boundary", () -> server.postRaw(thumbnails + "?width=10",
                "multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--\r\n".getBytes())));
        all.add(new Malformed("multipart with a wrong boundary", () -> server.postRaw(thumbnails + "?width=10",
                "multipart/form-data; boundary=nothere", "garbage without any boundary".getBytes())));
        all.add(new Malformed("multipart without a file part", () -> server.postMultipart(thumbnails + "?width=10",
                Map.of("width", "10"))));
        all.add(new Malformed("5000 tiny parts", () -> server.postRaw(thumbnails + "?width=10",
                "multipart/form-data; boundary=tiny", tinyParts(5000))));
        all.add(new Malformed("an empty raw body", () -> server.postRaw(thumbnails + "?width=10", "image/png", new byte[0])));
        all.add(new Malformed("HTML as an image", () -> server.postRaw(thumbnails + "?width=10", "text/html",
                "<script>alert(1)</script>".getBytes())));
        all.add(new Malformed("no content type", () -> server.send(server.request(thumbnails + "?width=10")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build())));
        all.add(new Malformed("a 64 KB header", () -> server.get(thumbnails, "X-Padding", "a".repeat(64 * 1024))));
        all.add(new Malformed("a 64 KB query", () -> server.get(thumbnails + "?cursor=" + "a".repeat(64 * 1024))));
        all.add(new Malformed("a garbage cursor", () -> server.get(thumbnails + "?cursor=%00%00..%2F")));
        return all;
    }

    private static void jsonBody(List<Malformed> all, String name, String body) {
        all.add(new Malformed(name, () -> server.postRaw("/api/v1/thumbnails?width=10", "application/json",
                body.getBytes(StandardCharsets.UTF_8))));
    }

    private static String tenThousandUrls() {
        StringBuilder body = new StringBuilder("{\"urls\": [");
        for (int i = 0; i < 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"https://example.com/").append(i).append(".png\"");
        }
        return body.append("]}").toString();
    }

    private static byte[] tinyParts(int count) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            body.writeBytes(("--tiny\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + i
                    + ".png\"\r\nContent-Type: image/png\r\n\r\nx\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes("--tiny--\r\n".getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    @TestFactory
    Stream<DynamicTest> every_malformed_request_gets_a_4xx_with_a_json_error_and_no_internals() {
        return malformed().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            HttpResponse<String> response = m.send().get();
            assertError(m.name(), response);
            assertNoLeak(m.name(), response);
        }));
    }

    @Test
    void a_malformed_escape_in_the_query_string_is_refused_naming_it() {
        byte[] png = TestImages.gradient(8, 8, "png");
        // Raw requests: the JDK's HTTP client will not send such a URI.
        for (String target : List.of("/api/v1/thumbnails?width=%ZZ", "/api/v1/thumbnails?fit=%G1&width=10",
                "/api/v1/thumbnails?width=10%", "/api/v1/thumbnails?width=1%2", "/api/v1/thumbnails?quality=%FF%FE")) {
            byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: " + png.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + png.length);
            System.arraycopy(png, 0, request, head.length, png.length);

            RawHttp.Response response = RawHttp.exchange(server.server.port(), request);

            assertThat(response.status()).as("POST %s: %s", target, response.body()).isEqualTo(400);
            assertThat(response.body()).as("POST %s", target).contains("\"invalid_request\"")
                    .containsAnyOf("malformed escape", "not UTF-8");
        }
        RawHttp.Response listing = RawHttp.exchange(server.server.port(),
                "GET /api/v1/thumbnails?limit=2%ZZ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(listing.status()).as("listing with limit=2%%ZZ").isEqualTo(400);
        assertThat(listing.body()).contains("'%ZZ'");
        assertThat(server.get("/api/v1/thumbnails?status=%71ueued").statusCode()).as("a well-formed escape (%%71: q)")
                .isEqualTo(200);
    }

    @Test
    void an_unknown_json_field_is_refused_by_name() {
        HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=10", "application/json",
                "{\"url\": \"https://example.com/a.png\", \"widht\": 100}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).contains("'widht'");
    }

    @Test
    void ten_thousand_urls_are_refused_naming_the_limit() {
        HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=10", "application/json",
                tenThousandUrls().getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).contains("10000 URLs", "at most 100");
    }

    @Test
    void too_many_parts_are_refused_as_too_large_before_any_job_is_made() {
        HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=10", "multipart/form-data; boundary=tiny",
                tinyParts(5000));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("too_large");
        assertThat(json(response).at("/error/message").asText()).contains("1000 parts");
    }

    @Test
    void wrong_methods_answer_405_in_json_naming_what_is_allowed() {
        HttpResponse<String> response = server.send("PUT", "/api/v1/thumbnails");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void http_0_9_and_unknown_versions_answer_505_in_json_with_a_code_naming_the_problem() {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("HTTP/0.9 (a request line without a version)", "GET /\r\n");
        requests.put("HTTP/0.9 named", "GET /health HTTP/0.9\r\n\r\n");
        requests.put("an unknown version", "GET /health HTTP/2.5\r\nHost: x\r\n\r\n");

        requests.forEach((what, request) -> {
            RawHttp.Response response = RawHttp.exchange(server.server.port(), request);

            assertThat(response.status()).as("%s: %s", what, response.head()).isEqualTo(505);
            assertThat(response.header("Content-Type")).as(what).startsWith("application/json");
            JsonNode error = readJson(response.body());
            assertThat(error.at("/error/code").asText()).as("%s: %s", what, response.body())
                    .isEqualTo("http_version_not_supported");
            assertThat(error.at("/error/message").asText()).as(what).contains("HTTP/1.1");
        });
    }

    @Test
    void options_asterisk_answers_405_in_json_allowing_nothing() {
        // Raw: the JDK's HTTP client cannot send the asterisk target.
        RawHttp.Response response = RawHttp.exchange(server.server.port(),
                "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).as("OPTIONS *: %s", response.head()).isEqualTo(405);
        assertThat(response.header("Content-Type")).as("Content-Type").startsWith("application/json");
        assertThat(response.header("Allow")).as("Allow: no method is allowed on *").isEmpty();
        JsonNode error = readJson(response.body());
        assertThat(error.at("/error/code").asText()).as("code: %s", response.body()).isEqualTo("method_not_allowed");
        assertThat(error.at("/error/message").asText()).as("message").contains("OPTIONS", "*");
    }

    /** A request sent raw, and the status and error code it must be answered with. */
    private record Refusal(String what, String request, int status, String code) {
    }

    @Test
    void connect_answers_a_4xx_in_json_whether_the_router_or_jetty_refuses_it() {
        // The server is no proxy: nothing is ever connected to the target named.
        List<Refusal> refusals = List.of(
                new Refusal("a well-formed CONNECT, refused by the router",
                        "CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n", 405, "method_not_allowed"),
                new Refusal("a CONNECT whose Host names another, refused by Jetty",
                        "CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "invalid_request"),
                new Refusal("a CONNECT without Host, refused by Jetty",
                        "CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n", 400, "invalid_request"));

        for (Refusal refusal : refusals) {
            RawHttp.Response response = RawHttp.exchangeOne(server.server.port(), refusal.request());

            assertThat(response.status()).as("%s: %s", refusal.what(), response.head()).isEqualTo(refusal.status());
            assertThat(response.header("Content-Type")).as(refusal.what()).startsWith("application/json");
            assertThat(readJson(response.body()).at("/error/code").asText())
                    .as("%s: %s", refusal.what(), response.body()).isEqualTo(refusal.code());
        }
    }

    @Test
    void the_http2_connection_preface_answers_426_in_json_saying_which_versions_to_send() {
        RawHttp.Response response = RawHttp.exchangeOne(server.server.port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

        assertThat(response.status()).as("PRI *: %s", response.head()).isEqualTo(426);
        assertThat(response.header("Content-Type")).as("Content-Type").startsWith("application/json");
        JsonNode error = readJson(response.body());
        assertThat(error.at("/error/code").asText()).as("code: %s", response.body())
                .isEqualTo("http_version_not_supported");
        assertThat(error.at("/error/message").asText()).as("message").contains("HTTP/1.1");
        assertThat(response.header("Upgrade")).as("the protocol to switch to, which a 426 must name")
                .isEqualTo("HTTP/1.1");
    }

    @Test
    void a_request_line_naming_http2_answers_426_as_the_preface_does() {
        RawHttp.Response response = RawHttp.exchangeOne(server.server.port(),
                "GET /health HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(response.status()).as("GET HTTP/2.0: %s", response.head()).isEqualTo(426);
        assertThat(readJson(response.body()).at("/error/code").asText()).as("code: %s", response.body())
                .isEqualTo("http_version_not_supported");
    }

    @Test
    void a_path_traversal_or_nul_file_name_is_only_ever_metadata() throws IOException {
        byte[] png = TestImages.gradient(30, 20, "png");
        HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?width=10&wait=30", Map.of(),
                new TestServer.FilePart("../../../../etc/passwd", "image/png", png));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String id = json(response).get("id").asText();

        HttpResponse<byte[]> file = server.getBytes("/api/v1/thumbnails/" + id + "/file");
        assertThat(file.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"passwd.thumbnail.jpg\"");
        try (Stream<Path> stored = Files.walk(dir)) {
            assertThat(stored.map(p -> p.getFileName().toString())).as("no stored file is named after the upload")
                    .noneMatch(name -> name.contains("passwd"));
        }

        HttpResponse<String> nul = server.postMultipart("/api/v1/thumbnails?width=10&wait=30", Map.of(),
                new TestServer.FilePart("a\u0000b\r\n.png", "image/png", png));
        assertNoLeak("NUL file name", nul);
        if (nul.statusCode() < 300) {
            String nulId = json(nul).get("id").asText();
            assertThat(server.getBytes("/api/v1/thumbnails/" + nulId + "/file").headers().firstValue("Content-Disposition"))
                    .hasValueSatisfying(v -> assertThat(v).doesNotContainPattern("[\\x00-\\x1f]"));
        } else {
            assertError("NUL file name", nul);
        }
    }

    // ---- all of it at once ----

    @Test
    void after_everything_the_server_is_healthy_and_its_heap_returns_near_where_it_began() throws IOException {
        server.postRaw("/api/v1/thumbnails?width=10&wait=30", "image/png", TestImages.gradient(40, 30, "png"));
        long before = heapAfterGc();

        for (int round = 0; round < 2; round++) {
            if (manifest != null) {
                for (String file : manifest.keySet()) {
                    checkHostileFile(file);
                }
            }
            for (Malformed m : malformed()) {
                assertError(m.name(), m.send().get());
            }
        }

        assertThat(server.get("/health").statusCode()).as("health after the barrage").isEqualTo(200);
        assertThat(server.postRaw("/api/v1/thumbnails?width=10&wait=30", "image/png", TestImages.gradient(40, 30, "png"))
                .statusCode()).as("a good upload still works").isEqualTo(200);
        long after = heapAfterGc();
        System.out.printf("hostile barrage: heap after GC %d MB before, %d MB after%n", before >> 20, after >> 20);
        assertThat(after - before).as("heap growth in bytes (before %d, after %d)", before, after)
                .isLessThan(HEAP_SLACK_BYTES);
        assertThat(server.service.list(JobQuery.all().withStatus(io.thumbnail.JobStatus.PROCESSING)).items())
                .as("no job left running").isEmpty();
    }

    private static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    // ---- assertions ----

    private static JsonNode readJson(String body) {
        try {
            return TestServer.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static void assertError(String what, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s: status; body: %s", what, response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).as("%s: content type", what)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = json(response).get("error");
        assertThat(error).as("%s: {\"error\": ...} in %s", what, response.body()).isNotNull();
        assertThat(error.path("code").asText()).as("%s: code", what).isNotBlank();
        assertThat(error.path("message").asText()).as("%s: message", what).isNotBlank();
    }

    private static void assertNoLeak(String what, HttpResponse<String> response) {
        assertThat(response.body()).as("%s: no stack trace or path of this machine", what)
                .doesNotContain("at io.", "at java.", "at org.", "Exception", ".java:", dir.toString(), "/work/", "/tmp/");
    }
}
