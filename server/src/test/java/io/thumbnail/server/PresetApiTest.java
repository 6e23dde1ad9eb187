package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --preset NAME=SPEC} and {@code preset=NAME}: named options a request asks for by name. */
class PresetApiTest {
    private static final byte[] PHOTO = TestImages.photo(800, 600, 2);
    private static final String[] PRESETS = {"--preset", "card=400x300,cover,jpeg,quality=70,gravity=north",
            "--preset", "hero=1200x"};

    @TempDir
    Path dir;

    private static HttpResponse<String> upload(TestServer server, String query) {
        return server.postRaw("/api/v1/thumbnails" + query, "image/jpeg", PHOTO);
    }

    @Test
    void a_preset_gives_the_job_its_size_and_options() {
        try (TestServer server = TestServer.startPaused(dir, PRESETS)) {
            HttpResponse<String> response = upload(server, "?preset=card");

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode spec = json(response).get("spec");
            assertThat(List.of(spec.get("width").asInt(), spec.get("height").asInt())).as("size").containsExactly(400, 300);
            assertThat(spec.get("fit").asText()).as("fit").isEqualTo("cover");
            assertThat(spec.get("format").asText()).as("format").isEqualTo("jpeg");
            assertThat(spec.get("quality").asInt()).as("quality").isEqualTo(70);
            assertThat(spec.get("gravity").asText()).as("gravity").isEqualTo("north");
        }
    }

    @Test
    void what_the_request_names_itself_wins_over_the_preset() {
        try (TestServer server = TestServer.startPaused(dir, PRESETS)) {
            JsonNode spec = json(upload(server, "?preset=card&format=png&width=200&height=200")).get("spec");

            assertThat(spec.get("format").asText()).as("format").isEqualTo("png");
            assertThat(spec.get("width").asInt() + "x" + spec.get("height").asInt()).as("size").isEqualTo("200x200");
            assertThat(spec.get("fit").asText()).as("fit, still the preset's").isEqualTo("cover");
        }
    }

    @Test
    void with_sizes_the_preset_options_apply_to_each_size() {
        try (TestServer server = TestServer.startPaused(dir, PRESETS)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails",
                    Map.of("preset", "card", "sizes", "200x150,800x600"),
                    new TestServer.FilePart("photo.jpg", "image/jpeg", PHOTO));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode items = json(response).get("items");
            assertThat(items.size()).as("jobs").isEqualTo(2);
            assertThat(items.get(1).at("/spec/width").asInt()).as("second size").isEqualTo(800);
            assertThat(json(response).findValues("fit")).extracting(JsonNode::asText).containsOnly("cover");
            assertThat(json(response).findValues("quality")).extracting(JsonNode::asInt).containsOnly(70);
        }
    }

    @Test
    void a_url_request_names_a_preset_in_its_body() {
        try (TestServer server = TestServer.startPaused(dir, "--allow-private-sources", "--preset", "hero=1200x")) {
            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails", "application/json",
                    "{\"url\": \"http://localhost:9/a.jpg\", \"preset\": \"hero\"}".getBytes(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(json(response).at("/spec/width").asInt()).as("width").isEqualTo(1200);
            assertThat(json(response).at("/spec/height").isMissingNode() || json(response).at("/spec/height").isNull())
                    .as("height left to the aspect ratio: %s", json(response).get("spec")).isTrue();
        }
    }

    @Test
    void an_unknown_preset_is_refused_naming_the_known_ones() {
        try (TestServer server = TestServer.startPaused(dir, PRESETS)) {
            HttpResponse<String> response = upload(server, "?preset=banner");

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(json(response).at("/error/message").asText())
                    .isEqualTo("preset 'banner' is not known here; known presets: card, hero");
        }
    }

    @Test
    void presets_come_from_the_environment_separated_by_semicolons() {
        ServerConfig config = ServerConfig.parse(List.of(), Map.of("THUMBNAIL_PRESET", "card=400x300,cover; hero=1200x"));

        assertThat(config.presets().names()).containsExactly("card", "hero");
    }

    @Test
    void a_bad_preset_stops_startup_with_one_line_naming_the_flag() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--preset", "card=400x300,cover,webpp"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--preset 'card=400x300,cover,webpp' has an unknown option 'webpp'")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--preset", "wide=1200x,cover"), Map.of()))
                .as("cover needs both sides").hasMessageStartingWith("--preset 'wide=1200x,cover'");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--preset", "a=1x1", "--preset", "a=2x2"), Map.of()))
                .as("a name given twice").hasMessage("--preset names preset 'a' twice");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--preset", "card"), Map.of()))
                .as("no spec").hasMessageStartingWith("--preset 'card' takes NAME=SPEC");
    }
}
