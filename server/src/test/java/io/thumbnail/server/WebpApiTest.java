package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.quality.WebpDecoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebP over REST: {@code format=webp}, and {@code auto} negotiated from the uploading request's {@code Accept}, whose
 * one URL then answers each client by its own {@code Accept} with {@code Vary: Accept} and an ETag per variant.
 */
class WebpApiTest {
    /** What Chrome sends for an image. */
    private static final String BROWSER = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
    private static final byte[] PHOTO = TestImages.photo(800, 600, 1);

    @TempDir
    Path dir;

    @Test
    void format_webp_is_served_as_image_webp_named_thumbnail_webp() throws IOException {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=200&format=webp&filename=photo.jpg", PHOTO, "image/jpeg");
            server.runNextJob();

            JsonNode job = json(server.get("/api/v1/thumbnails/" + id));
            HttpResponse<byte[]> file = server.getBytes("/api/v1/thumbnails/" + id + "/file");

            assertThat(job.at("/spec/format").asText()).isEqualTo("webp");
            assertThat(job.at("/spec/quality").asInt()).as("WebP's default quality").isEqualTo(82);
            assertThat(job.at("/thumbnail/format").asText()).isEqualTo("webp");
            assertThat(job.at("/thumbnail/fallback").isMissingNode()).as("no fallback for an explicit webp").isTrue();
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type")).hasValue("image/webp");
            assertThat(file.headers().firstValue("Content-Disposition"))
                    .hasValue("inline; filename=\"photo.thumbnail.webp\"");
            assertThat(file.headers().firstValue("Vary")).as("one answer for every client").isEmpty();
            assertThat(WebpDecoders.libwebp(file.body()).getWidth()).isEqualTo(200);
        }
    }

    @Test
    void auto_from_a_client_that_names_webp_makes_webp_with_a_jpeg_fallback() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=200&filename=photo.jpg", PHOTO, "image/jpeg", "Accept", BROWSER);
            JsonNode queued = json(server.get("/api/v1/thumbnails/" + id));
            server.runNextJob();

            JsonNode job = json(server.get("/api/v1/thumbnails/" + id));

            assertThat(queued.at("/spec/format").asText()).isEqualTo("auto-webp");
            assertThat(job.at("/spec/quality").asInt()).isEqualTo(82);
            assertThat(job.at("/thumbnail/format").asText()).isEqualTo("webp");
            assertThat(job.at("/thumbnail/fallback/format").asText()).isEqualTo("jpeg");
            assertThat(job.at("/thumbnail/fallback/bytes").asLong()).isGreaterThan(job.at("/thumbnail/bytes").asLong());
        }
    }

    @Test
    void auto_from_a_client_that_does_not_name_webp_makes_jpeg_served_without_vary() {
        try (TestServer server = TestServer.startPaused(dir)) {
            // image/* and */* do not count: clients that cannot show WebP send them too.
            String id = upload(server, "?width=200", PHOTO, "image/jpeg", "Accept", "image/*,*/*;q=0.8");
            server.runNextJob();

            JsonNode job = json(server.get("/api/v1/thumbnails/" + id));
            HttpResponse<byte[]> file = server.getBytes("/api/v1/thumbnails/" + id + "/file", "Accept", BROWSER);

            assertThat(job.at("/spec/format").asText()).isEqualTo("auto");
            assertThat(job.at("/spec/quality").asInt()).isEqualTo(85);
            assertThat(job.at("/thumbnail/format").asText()).isEqualTo("jpeg");
            assertThat(file.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(file.headers().firstValue("Vary")).isEmpty();
        }
    }

    @Test
    void one_url_serves_webp_to_clients_naming_it_and_jpeg_to_the_others_varying_by_accept() throws IOException {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=200&filename=photo.jpg", PHOTO, "image/jpeg", "Accept", BROWSER);
            server.runNextJob();
            String url = "/api/v1/thumbnails/" + id + "/file";

            HttpResponse<byte[]> browser = server.getBytes(url, "Accept", BROWSER);
            HttpResponse<byte[]> plain = server.getBytes(url);
            HttpResponse<byte[]> anything = server.getBytes(url, "Accept", "*/*");
            HttpResponse<byte[]> refused = server.getBytes(url, "Accept", "image/webp;q=0, image/jpeg");

            assertThat(browser.headers().firstValue("Content-Type")).hasValue("image/webp");
            assertThat(browser.headers().firstValue("Content-Disposition"))
                    .hasValue("inline; filename=\"photo.thumbnail.webp\"");
            assertThat(WebpDecoders.libwebp(browser.body()).getWidth()).isEqualTo(200);
            for (HttpResponse<byte[]> other : new HttpResponse[] {plain, anything, refused}) {
                assertThat(other.headers().firstValue("Content-Type")).as("no image/webp in %s",
                        other.request().headers().firstValue("Accept")).hasValue("image/jpeg");
                assertThat(other.headers().firstValue("Content-Disposition"))
                        .hasValue("inline; filename=\"photo.thumbnail.jpg\"");
                assertThat(other.body()).isEqualTo(plain.body());
            }
            assertThat(ImageIO.read(new ByteArrayInputStream(plain.body())).getWidth()).isEqualTo(200);
            for (HttpResponse<byte[]> r : new HttpResponse[] {browser, plain}) {
                assertThat(r.headers().firstValue("Vary")).hasValue("Accept");
                assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
                assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(r.body().length));
            }
            assertThat(browser.headers().firstValue("ETag")).as("each variant its own ETag")
                    .isNotEqualTo(plain.headers().firstValue("ETag"));
        }
    }

    @Test
    void embed_base64_inlines_the_image_the_file_url_would_serve_this_client() throws IOException {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=200", PHOTO, "image/jpeg", "Accept", BROWSER);
            server.runNextJob();
            String url = "/api/v1/thumbnails/" + id + "?embed=base64";

            JsonNode browser = json(server.get(url, "Accept", BROWSER)).get("thumbnail");
            JsonNode plain = json(server.get(url, "Accept", "*/*")).get("thumbnail");

            assertThat(WebpDecoders.libwebp(java.util.Base64.getDecoder().decode(browser.get("base64").asText()))
                    .getWidth()).as("the WebP, for a client naming it").isEqualTo(200);
            assertThat(browser.at("/fallback/base64").isMissingNode()).as("the fallback, not inlined too").isTrue();
            assertThat(plain.has("base64")).as("no WebP for a client that cannot show it").isFalse();
            byte[] fallback = java.util.Base64.getDecoder().decode(plain.at("/fallback/base64").asText());
            assertThat(ImageIO.read(new ByteArrayInputStream(fallback)).getWidth()).as("the JPEG, inlined")
                    .isEqualTo(200);
            assertThat(fallback).as("what the file URL serves this client")
                    .isEqualTo(server.getBytes("/api/v1/thumbnails/" + id + "/file", "Accept", "*/*").body());
            assertThat(server.get(url, "Accept", BROWSER).headers().firstValue("Vary"))
                    .as("the answer depends on Accept, so a cache must keep the two apart").hasValue("Accept");
        }
    }

    @Test
    void a_variants_etag_revalidates_that_variant_only() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=200", PHOTO, "image/jpeg", "Accept", BROWSER);
            server.runNextJob();
            String url = "/api/v1/thumbnails/" + id + "/file";
            String webpTag = server.getBytes(url, "Accept", BROWSER).headers().firstValue("ETag").orElseThrow();

            HttpResponse<byte[]> same = server.getBytes(url, "Accept", BROWSER, "If-None-Match", webpTag);
            HttpResponse<byte[]> other = server.getBytes(url, "If-None-Match", webpTag);

            assertThat(same.statusCode()).isEqualTo(304);
            assertThat(same.headers().firstValue("Vary")).hasValue("Accept");
            assertThat(same.headers().firstValue("ETag")).hasValue(webpTag);
            assertThat(other.statusCode()).as("the WebP's ETag does not match the JPEG").isEqualTo(200);
            assertThat(other.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        }
    }

    @Test
    void head_answers_each_variants_headers_without_a_body() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=200", PHOTO, "image/jpeg", "Accept", BROWSER);
            server.runNextJob();
            String url = "/api/v1/thumbnails/" + id + "/file";
            JsonNode job = json(server.get("/api/v1/thumbnails/" + id));

            HttpResponse<String> webp = server.send("HEAD", url, "Accept", BROWSER);
            HttpResponse<String> jpeg = server.send("HEAD", url);

            assertThat(webp.headers().firstValue("Content-Type")).hasValue("image/webp");
            assertThat(webp.headers().firstValue("Content-Length")).hasValue(job.at("/thumbnail/bytes").asText());
            assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(jpeg.headers().firstValue("Content-Length"))
                    .hasValue(job.at("/thumbnail/fallback/bytes").asText());
            assertThat(webp.body()).isEmpty();
            assertThat(jpeg.headers().firstValue("Vary")).hasValue("Accept");
        }
    }

    @Test
    void a_transparent_image_falls_back_to_png_and_keeps_its_alpha_in_webp() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=100&filename=logo.png", TestImages.halfTransparentPng(300, 200),
                    "image/png", "Accept", BROWSER);
            server.runNextJob();
            String url = "/api/v1/thumbnails/" + id + "/file";

            HttpResponse<byte[]> webp = server.getBytes(url, "Accept", BROWSER);
            HttpResponse<byte[]> png = server.getBytes(url);

            assertThat(webp.headers().firstValue("Content-Type")).hasValue("image/webp");
            BufferedImage decoded = WebpDecoders.libwebp(webp.body());
            assertThat(decoded.getRGB(5, 5) >>> 24).as("alpha of the transparent half").isZero();
            assertThat(decoded.getRGB(95, 5) >>> 24).as("alpha of the opaque half").isEqualTo(255);
            assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(png.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"logo.thumbnail.png\"");
        }
    }

    @Test
    void a_named_quality_applies_to_webp() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = upload(server, "?width=200&format=webp&quality=40", PHOTO, "image/jpeg");
            String other = upload(server, "?width=200&format=webp&quality=95", PHOTO, "image/jpeg");
            server.runNextJob();
            server.runNextJob();

            JsonNode low = json(server.get("/api/v1/thumbnails/" + id));
            JsonNode high = json(server.get("/api/v1/thumbnails/" + other));

            assertThat(low.at("/spec/quality").asInt()).isEqualTo(40);
            assertThat(low.at("/thumbnail/bytes").asLong()).isLessThan(high.at("/thumbnail/bytes").asLong());
        }
    }

    @Test
    void an_unknown_format_is_refused_naming_the_formats() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?format=gif", "image/jpeg", PHOTO);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).at("/error/message").asText())
                    .isEqualTo("format must be one of auto, jpeg, png, webp, auto-webp (was 'gif')");
        }
    }

    @Test
    void health_says_webp_output_is_up() throws InterruptedException {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertThat(awaitWebpStatus(server)).isEqualTo("up");
        }
    }

    /** The {@code webp} check once libwebp has been loaded (shortly after the first answer). Bounded: 30 s. */
    static String awaitWebpStatus(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String status;
        do {
            status = json(server.get("/health")).at("/checks/webp/status").asText();
            if (!status.equals("starting")) {
                return status;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return status;
    }

    private static String upload(TestServer server, String query, byte[] image, String type, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = type;
        System.arraycopy(headers, 0, all, 2, headers.length);
        HttpResponse<String> response = server.send(server.request("/api/v1/thumbnails" + query, all)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(image)).build());
        assertThat(response.statusCode()).as("upload; body: %s", response.body()).isEqualTo(202);
        return json(response).get("id").asText();
    }
}
