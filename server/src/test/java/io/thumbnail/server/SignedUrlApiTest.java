package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.MutableClock;
import io.thumbnail.server.internal.security.UrlSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signed file URLs over HTTP on a server that needs API keys: what they open, for how long, and to whom. */
class SignedUrlApiTest {
    private static final String ALICE = "alice-secret-key";
    private static final String BOB = "bob-secret-key";
    private static final String SHARED_KEY = "0123456789abcdef0123456789abcdef-shared";

    @TempDir
    Path dir;

    private TestServer start(String data, Clock clock, String... extra) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.txt"), "alice:" + ApiKeyApiTest.sha256(ALICE) + "\nbob:"
                + ApiKeyApiTest.sha256(BOB) + "\n");
        List<String> flags = new ArrayList<>(List.of("--api-keys-file", keys.toString()));
        flags.addAll(List.of(extra));
        return TestServer.startPaused(Files.createDirectories(dir.resolve(data)), clock, flags.toArray(String[]::new));
    }

    private TestServer start(String... extra) throws Exception {
        return start("data", Clock.systemUTC(), extra);
    }

    /** A done job of alice's. */
    private static String doneJob(TestServer server, int variant) {
        HttpResponse<String> created = server.as(ALICE).postRaw("/api/v1/thumbnails?width=40", "image/jpeg",
                TestImages.photo(64, 48, variant));
        assertThat(created.statusCode()).as("upload; body: %s", created.body()).isEqualTo(202);
        if (json(created).get("status").asText().equals("queued")) {
            server.runNextJob();
        }
        return json(created).get("id").asText();
    }

    private static JsonNode signedUrl(TestServer server, String id, String query) {
        HttpResponse<String> response = server.as(ALICE).send("POST",
                "/api/v1/thumbnails/" + id + "/signed-url" + query);
        assertThat(response.statusCode()).as("signed-url; body: %s", response.body()).isEqualTo(200);
        return json(response);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code, String what) {
        assertThat(response.statusCode()).as("%s: status; body: %s", what, response.body()).isEqualTo(status);
        assertThat(json(response).at("/error/code").asText()).as("%s: code", what).isEqualTo(code);
    }

    @Test
    void a_signed_url_serves_the_thumbnail_without_an_api_key() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);
            String url = signedUrl(server, id, "").get("url").asText();
            byte[] withKey = server.as(ALICE).getBytes("/api/v1/thumbnails/" + id + "/file").body();

            HttpResponse<byte[]> image = server.as(null).getBytes(url);
            HttpResponse<String> head = server.as(null).send("HEAD", url);

            assertThat(url).as("the signed URL").matches("/api/v1/thumbnails/" + id
                    + "/file\\?expires=\\d+&signature=[0-9a-f]{64}");
            assertThat(image.statusCode()).as("GET of the signed URL without a key").isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(image.body()).as("the image served by signature").isEqualTo(withKey);
            assertThat(head.statusCode()).as("HEAD of the signed URL without a key").isEqualTo(200);
        }
    }

    @Test
    void with_neither_a_key_nor_a_signature_the_file_still_needs_a_key() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);

            assertRefused(server.as(null).get("/api/v1/thumbnails/" + id + "/file"), 401, "unauthorized", "no key");
            assertThat(server.as(ALICE).getBytes("/api/v1/thumbnails/" + id + "/file").statusCode())
                    .as("alice's key, no signature").isEqualTo(200);
        }
    }

    @Test
    void a_403_for_a_bad_signature_is_counted_in_metrics_under_the_file_route() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);
            String url = signedUrl(server, id, "").get("url").asText();
            assertRefused(server.as(null).get(url.replace("signature=", "signature=0")), 403, "invalid_signature",
                    "a signature one digit too long");

            String metrics = server.as(ALICE).get("/metrics").body();

            assertThat(metrics).as("the refused download in /metrics")
                    .contains("http_server_requests_seconds_count{method=\"GET\","
                            + "route=\"/api/v1/thumbnails/{id}/file\",status=\"403\"} 1")
                    .doesNotContain("route=\"unmatched\"");
        }
    }

    @Test
    void a_changed_id_expiry_or_signature_answers_403_invalid_signature() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);
            String otherId = doneJob(server, 2);
            assertThat(otherId).as("a second job").isNotEqualTo(id);
            JsonNode signed = signedUrl(server, id, "");
            String url = signed.get("url").asText();
            long expires = signed.get("expires").asLong();
            String signature = url.substring(url.indexOf("signature=") + "signature=".length());
            String flipped = signature.substring(0, 63) + (signature.endsWith("0") ? "1" : "0");
            server.as(null);

            assertRefused(server.get(url.replace(id, otherId)), 403, "invalid_signature", "another job's id");
            assertRefused(server.get(url.replace("expires=" + expires, "expires=" + (expires + 86_400))), 403,
                    "invalid_signature", "a later expiry");
            assertRefused(server.get(url.replace(signature, flipped)), 403, "invalid_signature",
                    "a signature changed in its last digit");
            assertRefused(server.get(url.substring(0, url.indexOf("&signature="))), 403, "invalid_signature",
                    "no signature");
            assertRefused(server.get("/api/v1/thumbnails/" + id + "/file?signature=" + signature), 403,
                    "invalid_signature", "no expiry");
        }
    }

    @Test
    void an_expired_signed_url_answers_403_expired() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (TestServer server = start("data", clock)) {
            String id = doneJob(server, 1);
            String url = signedUrl(server, id, "?ttl=60").get("url").asText();
            server.as(null);
            assertThat(server.getBytes(url).statusCode()).as("within its minute").isEqualTo(200);

            clock.advance(Duration.ofSeconds(61));

            assertRefused(server.get(url), 403, "expired", "61 s after a 60 s URL was made");
        }
    }

    @Test
    void a_signed_url_is_cacheable_only_until_it_expires() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (TestServer server = start("data", clock)) {
            String id = doneJob(server, 1);
            String url = signedUrl(server, id, "?ttl=600").get("url").asText();
            clock.advance(Duration.ofSeconds(100));

            HttpResponse<byte[]> image = server.as(null).getBytes(url);

            assertThat(image.headers().firstValue("Cache-Control")).as("Cache-Control 100 s into a 600 s URL")
                    .hasValue("public, max-age=500, immutable");
        }
    }

    @Test
    void the_signed_url_expires_ttl_seconds_from_now_and_says_when() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (TestServer server = start("data", clock)) {
            String id = doneJob(server, 1);

            JsonNode byDefault = signedUrl(server, id, "");
            JsonNode week = signedUrl(server, id, "?ttl=604800");

            long now = clock.instant().getEpochSecond();
            assertThat(byDefault.get("expires").asLong()).as("expires without ttl").isEqualTo(now + 3600);
            assertThat(byDefault.get("url").asText()).contains("expires=" + (now + 3600) + "&");
            assertThat(week.get("expires").asLong()).as("expires with ttl=604800").isEqualTo(now + 604_800);
        }
    }

    @Test
    void another_keys_job_has_no_signed_url() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);

            HttpResponse<String> bobs = server.as(BOB).send("POST", "/api/v1/thumbnails/" + id + "/signed-url");

            assertRefused(bobs, 404, "not_found", "bob asking to sign alice's job");
        }
    }

    @Test
    void a_ttl_outside_one_second_to_seven_days_is_refused_naming_ttl() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);
            for (String ttl : List.of("0", "604801", "soon")) {
                HttpResponse<String> response = server.as(ALICE).send("POST",
                        "/api/v1/thumbnails/" + id + "/signed-url?ttl=" + ttl);

                assertRefused(response, 400, "invalid_request", "ttl=" + ttl);
                assertThat(json(response).at("/error/message").asText()).as("message for ttl=%s", ttl)
                        .startsWith("ttl must be").contains("604800");
            }
        }
    }

    @Test
    void a_failed_job_gets_no_signed_url_but_its_error_as_its_file_would_answer() throws Exception {
        try (TestServer server = start()) {
            byte[] png = TestImages.gradient(200, 100, "png");
            HttpResponse<String> created = server.as(ALICE).postRaw("/api/v1/thumbnails?width=40", "image/png",
                    java.util.Arrays.copyOf(png, png.length / 2));
            assertThat(created.statusCode()).as("upload; body: %s", created.body()).isEqualTo(202);
            String id = json(created).get("id").asText();
            server.runNextJob();

            HttpResponse<String> response = server.as(ALICE).send("POST", "/api/v1/thumbnails/" + id + "/signed-url");

            assertRefused(response, 422, "corrupt_image", "signed URL of a failed job");
        }
    }

    @Test
    void a_misspelt_or_repeated_ttl_is_refused_rather_than_an_hour_long_url_signed() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);
            HttpResponse<String> misspelt = server.as(ALICE).send("POST",
                    "/api/v1/thumbnails/" + id + "/signed-url?tll=60");
            HttpResponse<String> twice = server.as(ALICE).send("POST",
                    "/api/v1/thumbnails/" + id + "/signed-url?ttl=60&ttl=604800");

            assertRefused(misspelt, 400, "invalid_request", "tll=60");
            assertThat(json(misspelt).at("/error/message").asText())
                    .isEqualTo("unknown query parameter 'tll' (this endpoint takes ttl)");
            assertRefused(twice, 400, "invalid_request", "ttl given twice");
            assertThat(json(twice).at("/error/message").asText()).contains("'ttl' is given 2 times");
        }
    }

    @Test
    void signed_true_puts_a_working_signed_url_in_the_jobs_thumbnail() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (TestServer server = start("data", clock)) {
            String id = doneJob(server, 1);

            JsonNode plain = json(server.as(ALICE).get("/api/v1/thumbnails/" + id));
            JsonNode signed = json(server.get("/api/v1/thumbnails/" + id + "?signed=true&signed_ttl=120"));
            JsonNode listed = json(server.get("/api/v1/thumbnails?signed=true"));

            assertThat(plain.at("/thumbnail/url").asText()).as("without signed=true")
                    .isEqualTo("/api/v1/thumbnails/" + id + "/file");
            String url = signed.at("/thumbnail/url").asText();
            assertThat(url).as("with signed=true&signed_ttl=120").startsWith("/api/v1/thumbnails/" + id
                    + "/file?expires=" + (clock.instant().getEpochSecond() + 120) + "&signature=");
            assertThat(listed.at("/items/0/thumbnail/url").asText()).as("a listing with signed=true")
                    .contains("?expires=" + (clock.instant().getEpochSecond() + 3600) + "&signature=");
            assertThat(server.as(null).getBytes(url).statusCode()).as("the job's signed URL without a key")
                    .isEqualTo(200);
        }
    }

    @Test
    void a_signed_ttl_without_signed_true_is_refused_rather_than_ignored() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);
            server.as(ALICE);

            HttpResponse<String> ttl = server.get("/api/v1/thumbnails/" + id + "?signed_ttl=120");

            assertRefused(ttl, 400, "invalid_request", "signed_ttl=120 alone");
            assertThat(json(ttl).at("/error/message").asText())
                    .isEqualTo("signed_ttl sets how long signed URLs work; it needs signed=true");
        }
    }

    @Test
    void a_bad_signed_or_signed_ttl_is_refused_naming_it() throws Exception {
        try (TestServer server = start()) {
            String id = doneJob(server, 1);
            server.as(ALICE);

            HttpResponse<String> signed = server.get("/api/v1/thumbnails/" + id + "?signed=yes");
            HttpResponse<String> ttl = server.get("/api/v1/thumbnails/" + id + "?signed=true&signed_ttl=0");
            HttpResponse<String> upload = server.postRaw("/api/v1/thumbnails?signed=maybe", "image/jpeg",
                    TestImages.photo(64, 48, 3));

            assertRefused(signed, 400, "invalid_request", "signed=yes");
            assertThat(json(signed).at("/error/message").asText()).startsWith("signed must be true or false");
            assertRefused(ttl, 400, "invalid_request", "signed_ttl=0");
            assertThat(json(ttl).at("/error/message").asText()).startsWith("signed_ttl must be");
            assertRefused(upload, 400, "invalid_request", "an upload with signed=maybe");
            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs after the refused upload")
                    .hasSize(1);
        }
    }

    @Test
    void an_upload_waited_for_with_signed_true_answers_a_signed_url() throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.txt"), "alice:" + ApiKeyApiTest.sha256(ALICE) + "\n");
        try (TestServer server = TestServer.start(Files.createDirectories(dir.resolve("live")), "--api-keys-file",
                keys.toString())) {
            HttpResponse<String> done = server.as(ALICE).postMultipart("/api/v1/thumbnails?wait=20",
                    Map.of("width", "40", "signed", "true"),
                    new TestServer.FilePart("photo.jpg", "image/jpeg", TestImages.photo(64, 48, 4)));

            assertThat(done.statusCode()).as("upload with wait; body: %s", done.body()).isEqualTo(200);
            String url = json(done).at("/thumbnail/url").asText();
            assertThat(url).as("the answer's thumbnail URL").contains("?expires=").contains("&signature=");
            assertThat(server.as(null).getBytes(url).statusCode()).as("it without a key").isEqualTo(200);
        }
    }

    @Test
    void bad_signatures_count_as_failed_keys_from_their_address() throws Exception {
        try (TestServer server = start("--max-auth-failures", "2")) {
            String id = doneJob(server, 1);
            String url = signedUrl(server, id, "").get("url").asText();
            String forged = url.substring(0, url.indexOf("signature=") + 10) + "0".repeat(64);
            server.as(null);

            assertRefused(server.get(forged), 403, "invalid_signature", "first forgery");
            assertRefused(server.get(forged), 403, "invalid_signature", "second forgery");
            assertRefused(server.get(url), 429, "rate_limited", "even a genuine URL once the address is out of tries");
        }
    }

    @Test
    void servers_given_the_same_url_signing_key_accept_each_others_urls() throws Exception {
        UUID id;
        String url;
        try (TestServer first = start("first", Clock.systemUTC(), "--url-signing-key", SHARED_KEY)) {
            id = UUID.fromString(doneJob(first, 1));
            url = signedUrl(first, id.toString(), "").get("url").asText();
        }
        try (TestServer second = start("second", Clock.systemUTC(), "--url-signing-key", SHARED_KEY);
             TestServer other = start("other", Clock.systemUTC(), "--url-signing-key", SHARED_KEY + "-other")) {
            String mine = doneJob(second, 2);
            String signedHere = new UrlSigner(SHARED_KEY.getBytes(StandardCharsets.UTF_8), Clock.systemUTC())
                    .sign(UUID.fromString(mine), Duration.ofMinutes(5)).url();

            assertRefused(second.as(null).get(url), 404, "not_found",
                    "the first server's URL on the second: signature accepted, job not there");
            assertRefused(other.as(null).get(url), 403, "invalid_signature",
                    "the same URL on a server with another key");
            assertThat(second.getBytes(signedHere).statusCode()).as("a URL signed elsewhere with the shared key")
                    .isEqualTo(200);
        }
    }

    @Test
    void without_a_url_signing_key_signed_urls_survive_a_restart_on_the_same_data_directory() throws Exception {
        String id;
        String url;
        try (TestServer before = start()) {
            id = doneJob(before, 1);
            url = signedUrl(before, id, "").get("url").asText();
        }
        try (TestServer after = start()) {
            HttpResponse<byte[]> image = after.as(null).getBytes(url);

            assertThat(image.statusCode()).as("a URL signed before the restart, after it").isEqualTo(200);
        }
        try (TestServer elsewhere = start("elsewhere", Clock.systemUTC())) {
            assertRefused(elsewhere.as(null).get(url), 403, "invalid_signature",
                    "the URL on a server with a data directory of its own");
        }
    }

    @Test
    void a_url_signing_key_shorter_than_32_bytes_stops_startup_naming_the_flag() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--url-signing-key", "too-short"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--url-signing-key must be at least 32 bytes (was 9)")
                .hasMessageNotContaining("too-short");
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_URL_SIGNING_KEY", SHARED_KEY)).security()
                .urlSigningKey()).as("the key from the environment")
                .isEqualTo(SHARED_KEY.getBytes(StandardCharsets.UTF_8));
    }
}
