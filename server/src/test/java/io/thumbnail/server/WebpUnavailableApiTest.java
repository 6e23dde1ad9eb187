package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server whose platform cannot load libwebp (here: the native library has nowhere to be extracted) starts and
 * works; its health and log say WebP output is unavailable, {@code format=webp} is a 400 and {@code auto} never
 * picks WebP. The library loads once per JVM, so this server runs in a JVM of its own.
 */
class WebpUnavailableApiTest {
    @TempDir
    Path dir;

    @Test
    void without_libwebp_the_server_works_says_so_and_refuses_only_webp() throws Exception {
        try (ChildServer server = ChildServer.start(List.of("-Dcom.luciad.imageio.webp.tmpdir=" + dir.resolve("missing")),
                "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString(), "--workers", "1")) {
            String base = "http://127.0.0.1:" + server.awaitPort();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

            JsonNode health = awaitWebpChecked(http, base);
            HttpResponse<String> webp = upload(http, base + "/api/v1/thumbnails?format=webp", "text/html");
            HttpResponse<String> auto = upload(http, base + "/api/v1/thumbnails",
                    "image/avif,image/webp,image/apng,image/*,*/*;q=0.8");

            assertThat(health.at("/status").asText()).as("the server is up").isEqualTo("up");
            assertThat(health.at("/checks/webp/status").asText()).isEqualTo("unavailable");
            assertThat(webp.statusCode()).isEqualTo(400);
            assertThat(TestServer.json(webp).at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(TestServer.json(webp).at("/error/message").asText())
                    .startsWith("format webp is unavailable on this server (the native WebP encoder could not be"
                            + " loaded on").endsWith("); ask for jpeg, png or auto");
            assertThat(auto.statusCode()).as("body: %s", auto.body()).isEqualTo(202);
            assertThat(TestServer.json(auto).at("/spec/format").asText()).isEqualTo("auto");
            assertThat(server.output()).as("the log").anyMatch(line -> line.contains("WebP output is unavailable"));
        }
    }

    /** Health once the server has tried to load libwebp (shortly after its first answer). Bounded: 30 s. */
    private static JsonNode awaitWebpChecked(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode health;
        do {
            health = TestServer.json(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            if (!health.at("/checks/webp/status").asText().equals("starting")) {
                return health;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return health;
    }

    private static HttpResponse<String> upload(HttpClient http, String url, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "image/jpeg")
                .header("Accept", accept).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.photo(400, 300, 1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
