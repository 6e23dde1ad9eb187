package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/thumbnails} with JSON naming URLs, and publishing to Imgur, against a real server. The images
 * come from an origin server on 127.0.0.1 and Imgur is a stand-in on 127.0.0.1; nothing else is contacted.
 */
class UrlApiTest {
    private static final byte[] PNG = TestImages.gradient(120, 80, "png");

    @TempDir
    Path dir;
    private HttpServer origin;
    private final AtomicInteger originHits = new AtomicInteger();
    private final List<String> imgurAuthorizations = new CopyOnWriteArrayList<>();
    private TestServer server;

    @BeforeEach
    void startOrigin() throws IOException {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        origin.createContext("/cat.png", ex -> answer(ex, 200, "application/octet-stream", PNG));
        origin.createContext("/missing.png", ex -> answer(ex, 404, "text/plain", "gone".getBytes()));
        // Imgur's upload endpoint, answering as Imgur documents: data.link and data.deletehash.
        origin.createContext("/3/image", ex -> {
            imgurAuthorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
            boolean multipart = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"))
                    .startsWith("multipart/form-data; boundary=");
            String body = "{\"data\":{\"id\":\"Zx9\",\"deletehash\":\"del-1\",\"link\":\"https://i.imgur.com/Zx9.png\"},"
                    + "\"success\":true,\"status\":200}";
            answer(ex, multipart && ex.getRequestMethod().equals("POST") ? 200 : 400, "application/json",
                    body.getBytes(StandardCharsets.UTF_8));
        });
        origin.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        origin.stop(0);
    }

    private void answer(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().startsWith("/3/")) {
                originHits.incrementAndGet();
            }
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private String originUrl(String path) {
        return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    }

    private HttpResponse<String> postJson(String path, String body) {
        return server.postRaw(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_option_given_both_in_the_json_body_and_in_the_query_is_400_naming_it() {
        server = TestServer.startPaused(dir, "--allow-private-sources");

        HttpResponse<String> priority = postJson("/api/v1/thumbnails?priority=high",
                "{\"url\":\"" + originUrl("/cat.png") + "\",\"priority\":\"low\"}");
        HttpResponse<String> sizes = postJson("/api/v1/thumbnails?sizes=20x20",
                "{\"url\":\"" + originUrl("/cat.png") + "\",\"sizes\":[\"10x10\"]}");

        assertThat(priority.statusCode()).as("body: %s", priority.body()).isEqualTo(400);
        assertThat(json(priority).at("/error/message").asText()).isEqualTo("the option 'priority' is given both in"
                + " the JSON body and in the query string; give it once");
        assertThat(sizes.statusCode()).as("body: %s", sizes.body()).isEqualTo(400);
        assertThat(json(sizes).at("/error/message").asText()).startsWith("the option 'sizes' is given both in");
    }

    @Test
    void a_json_key_given_twice_or_anything_after_the_object_is_a_400() {
        server = TestServer.startPaused(dir, "--allow-private-sources");

        HttpResponse<String> twice = postJson("/api/v1/thumbnails", "{\"url\":\"" + originUrl("/cat.png")
                + "\",\"url\":\"" + originUrl("/other.png") + "\"}");
        HttpResponse<String> trailing = postJson("/api/v1/thumbnails", "{\"url\":\"" + originUrl("/cat.png")
                + "\"} {\"url\":\"" + originUrl("/other.png") + "\"}");

        assertThat(twice.statusCode()).as("body: %s", twice.body()).isEqualTo(400);
        assertThat(json(twice).at("/error/message").asText()).contains("Duplicate field 'url'");
        assertThat(trailing.statusCode()).as("body: %s", trailing.body()).isEqualTo(400);
        assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
    }

    @Test
    void one_url_gives_a_job_whose_source_records_the_url_and_a_worker_fetches_it() {
        server = TestServer.startPaused(dir, "--allow-private-sources");

        HttpResponse<String> created = postJson("/api/v1/thumbnails?width=40", "{\"url\":\"" + originUrl("/cat.png") + "\"}");

        assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
        JsonNode job = json(created);
        assertThat(job.at("/source/url").asText()).isEqualTo(originUrl("/cat.png"));
        assertThat(job.at("/source").has("bytes")).as("a size, before the image was fetched: %s", job.get("source"))
                .isFalse();
        assertThat(originHits.get()).as("requests made while answering the POST").isZero();

        server.runNextJob();

        JsonNode done = json(server.get("/api/v1/thumbnails/" + job.get("id").asText()));
        assertThat(done.get("status").asText()).isEqualTo("done");
        assertThat(done.at("/source/url").asText()).isEqualTo(originUrl("/cat.png"));
        assertThat(done.at("/source/format").asText()).isEqualTo("png");
        assertThat(done.at("/source/bytes").asLong()).as("its size once fetched").isPositive();
        assertThat(done.at("/thumbnail/width").asInt()).isEqualTo(40);
        assertThat(originHits.get()).isEqualTo(1);
    }

    @Test
    void several_urls_give_a_batch_whose_items_report_per_url_progress() {
        server = TestServer.startPaused(dir, "--allow-private-sources");

        HttpResponse<String> created = postJson("/api/v1/thumbnails?width=40",
                "{\"urls\":[\"" + originUrl("/cat.png") + "\",\"" + originUrl("/missing.png") + "\"]}");

        assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
        String batchId = json(created).get("id").asText();
        server.runNextJob();
        server.runNextJob();
        JsonNode batch = json(server.get("/api/v1/batches/" + batchId));
        JsonNode items = batch.get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).at("/source/url").asText()).isEqualTo(originUrl("/cat.png"));
        assertThat(items.get(0).get("status").asText()).isEqualTo("done");
        assertThat(items.get(1).get("status").asText()).isEqualTo("failed");
        assertThat(items.get(1).at("/error/code").asText()).isEqualTo("source_unreachable");
        assertThat(items.get(1).at("/error/message").asText()).contains("HTTP 404");
    }

    @Test
    void more_than_100_urls_are_refused() {
        server = TestServer.startPaused(dir, "--allow-private-sources");
        String urls = IntStream.range(0, 101).mapToObj(i -> "\"" + originUrl("/cat.png?i=" + i) + "\"")
                .collect(Collectors.joining(","));

        HttpResponse<String> response = postJson("/api/v1/thumbnails?width=40", "{\"urls\":[" + urls + "]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).contains("at most 100");
    }

    @Test
    void a_body_with_neither_or_both_url_forms_is_refused() {
        server = TestServer.startPaused(dir);

        assertThat(json(postJson("/api/v1/thumbnails?width=40", "{}")).at("/error/message").asText())
                .contains("either \"url\"");
        assertThat(json(postJson("/api/v1/thumbnails?width=40", "{\"url\":\"http://a.example/\",\"urls\":[]}"))
                .at("/error/message").asText()).contains("either \"url\"");
        assertThat(json(postJson("/api/v1/thumbnails?width=40", "not json")).at("/error/message").asText())
                .contains("not valid JSON");
    }

    @Test
    void a_non_http_url_is_refused_with_source_blocked() {
        server = TestServer.startPaused(dir);

        HttpResponse<String> response = postJson("/api/v1/thumbnails?width=40", "{\"url\":\"file:///etc/passwd\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("source_blocked");
    }

    @Test
    void the_guard_is_on_by_default_so_a_loopback_address_in_the_url_is_refused_at_once() {
        server = TestServer.startPaused(dir);

        HttpResponse<String> response = postJson("/api/v1/thumbnails?width=40",
                "{\"url\":\"" + originUrl("/cat.png") + "\"}");

        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("source_blocked");
        assertThat(json(response).at("/error/message").asText()).contains("loopback");
        assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs queued").isEmpty();
        assertThat(originHits.get()).isZero();
    }

    @Test
    void a_host_name_that_resolves_to_loopback_fails_its_job_without_being_requested() {
        server = TestServer.startPaused(dir);
        String id = json(postJson("/api/v1/thumbnails?width=40",
                "{\"url\":\"http://localhost:" + origin.getAddress().getPort() + "/cat.png\"}")).get("id").asText();

        server.runNextJob();

        JsonNode failed = json(server.get("/api/v1/thumbnails/" + id));
        assertThat(failed.at("/error/code").asText()).isEqualTo("source_blocked");
        assertThat(failed.at("/error/message").asText()).contains("'localhost'", "loopback");
        assertThat(originHits.get()).isZero();
    }

    @Test
    void publish_imgur_records_link_and_deletehash_and_the_listing_filter_finds_it() {
        server = TestServer.startPaused(dir, "--allow-private-sources", "--imgur-client-id", "cid-42",
                "--imgur-base-url", "http://127.0.0.1:" + origin.getAddress().getPort());
        String published = json(postJson("/api/v1/thumbnails?width=40",
                "{\"url\":\"" + originUrl("/cat.png") + "\",\"publish\":\"imgur\"}")).get("id").asText();
        server.postRaw("/api/v1/thumbnails?width=30", "image/png", PNG);
        server.runNextJob();
        server.runNextJob();

        JsonNode job = json(server.get("/api/v1/thumbnails/" + published));
        assertThat(job.at("/published/imgur/link").asText()).isEqualTo("https://i.imgur.com/Zx9.png");
        assertThat(job.at("/published/imgur/deletehash").asText()).isEqualTo("del-1");
        assertThat(imgurAuthorizations).containsExactly("Client-ID cid-42");

        JsonNode listed = json(server.get("/api/v1/thumbnails?published=imgur")).get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(published);
        assertThat(listed.get(0).at("/published/imgur/link").asText()).isEqualTo("https://i.imgur.com/Zx9.png");
    }

    @Test
    void an_upload_can_ask_to_publish_with_a_query_parameter() {
        server = TestServer.startPaused(dir, "--imgur-client-id", "cid-42",
                "--imgur-base-url", "http://127.0.0.1:" + origin.getAddress().getPort());
        String id = json(server.postRaw("/api/v1/thumbnails?width=40&publish=imgur", "image/png", PNG))
                .get("id").asText();

        server.runNextJob();

        assertThat(json(server.get("/api/v1/thumbnails/" + id)).at("/published/imgur/deletehash").asText())
                .isEqualTo("del-1");
    }

    @Test
    void publishing_without_an_imgur_client_id_is_refused() {
        server = TestServer.startPaused(dir);

        HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=40&publish=imgur", "image/png", PNG);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).contains("imgur");
    }

    @Test
    void source_flags_and_the_imgur_variable_are_read() {
        ServerConfig config = ServerConfig.parse(List.of("--allow-private-sources", "--source-allowlist",
                "images.example, *.cdn.example"), Map.of("THUMBNAIL_IMGUR_CLIENT_ID", "from-env"));

        assertThat(config.allowPrivateSources()).isTrue();
        assertThat(config.sourceAllowlist()).containsExactlyInAnyOrder("images.example", "*.cdn.example");
        assertThat(config.imgurClientId()).isEqualTo("from-env");
        assertThat(ServerConfig.defaults().allowPrivateSources()).as("the guard is on by default").isFalse();
        assertThat(ServerConfig.defaults().maxUrlsPerRequest()).isEqualTo(100);
    }

    @Test
    void the_openapi_document_covers_url_requests_the_guard_and_publishing() {
        server = TestServer.startPaused(dir);

        JsonNode openApi = json(server.get("/openapi.json"));

        assertThat(openApi.at("/components/schemas/UrlRequest/properties/urls/maxItems").asInt()).isEqualTo(100);
        assertThat(openApi.at("/paths/~1api~1v1~1thumbnails/post/requestBody/content/application~1json").isMissingNode())
                .as("JSON request body documented").isFalse();
        assertThat(openApi.at("/paths/~1api~1v1~1thumbnails/post/description").asText())
                .contains("source_blocked", "--allow-private-sources", "--source-allowlist");
        assertThat(openApi.at("/components/schemas/Job/properties/published/properties/imgur/properties/deletehash")
                .isMissingNode()).as("published.imgur.deletehash documented").isFalse();
        assertThat(openApi.at("/paths/~1api~1v1~1thumbnails/get/parameters").findValuesAsText("name"))
                .contains("published");
    }
}
