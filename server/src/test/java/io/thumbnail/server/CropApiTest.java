package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.Gravity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code gravity} and {@code focus} over HTTP: where a cover crop sits, how requests ask for it, how jobs show it, and
 * the 400s for what cannot be done.
 */
class CropApiTest {
    private static final String COVER = "/api/v1/thumbnails?width=100&height=100&fit=cover&format=png";
    /** 900x300 with a 120 px object in the left third: a centre crop (300..600) misses it. */
    private static final byte[] OBJECT_LEFT = TestImages.objectOnFlat(900, 300, 150, 120);
    /** 900x300 with a 120 px object in the right third, at 690..810. */
    private static final byte[] OBJECT_RIGHT = TestImages.objectOnFlat(900, 300, 750, 120);
    private static final byte[] PHOTO = TestImages.photo(900, 300, 3);

    @TempDir
    Path dir;

    @Test
    void a_smart_cover_crop_shows_the_whole_detailed_object_from_a_third_of_the_image() {
        try (TestServer server = TestServer.start(dir)) {
            Rectangle centre = redIn(thumbnail(server, COVER, OBJECT_LEFT));
            Rectangle smart = redIn(thumbnail(server, COVER + "&gravity=smart", OBJECT_LEFT));

            assertThat(centre).as("control: the centre crop misses the object").isNull();
            assertThat(smart).as("the object's red frame in the smart crop").isNotNull();
            assertThat(smart.width + "x" + smart.height).as("the object's frame, whole (120 px at 1/3 is 40 px): %s", smart)
                    .matches("(39|40|41)x(39|40|41)");
        }
    }

    @Test
    void a_focus_centres_the_crop_on_that_point_kept_inside_the_image() {
        try (TestServer server = TestServer.start(dir)) {
            Rectangle seen = redIn(thumbnail(server, COVER + "&focus=0.9,0.5", OBJECT_RIGHT));

            // Centred on x = 810 the 300 px crop would leave the image: it sits against the right edge, 600..900,
            // where the object (690..810) lands at 30..70 of the 100 px thumbnail.
            assertThat(seen).as("the object's red frame in the crop around the focus").isNotNull();
            assertThat((double) seen.x).as("left of the object in the thumbnail: %s", seen).isCloseTo(30, within(1.5));
            assertThat((double) seen.width).as("width of the object in the thumbnail: %s", seen).isCloseTo(40, within(1.5));
        }
    }

    @Test
    void a_gravity_from_a_form_field_is_shown_in_the_jobs_spec() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails",
                    Map.of("width", "100", "height", "100", "fit", "cover", "gravity", "smart"), photo());

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(json(response).at("/spec/gravity").asText()).as("spec: %s", json(response).get("spec"))
                    .isEqualTo("smart");
        }
    }

    @Test
    void a_focus_is_shown_as_fractions_in_place_of_a_gravity() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postRaw(
                    "/api/v1/thumbnails?width=100&height=100&fit=cover&focus=0.25,0.75", "image/jpeg", PHOTO);

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode spec = json(response).get("spec");
            assertThat(spec.at("/focus/x").asDouble()).as("spec: %s", spec).isEqualTo(0.25);
            assertThat(spec.at("/focus/y").asDouble()).as("spec: %s", spec).isEqualTo(0.75);
            assertThat(spec.has("gravity")).as("a gravity beside the focus; spec: %s", spec).isFalse();
        }
    }

    @Test
    void a_cover_job_shows_the_centre_gravity_and_other_fits_show_none() {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode cover = json(server.postRaw("/api/v1/thumbnails?width=100&height=100&fit=cover", "image/jpeg", PHOTO));
            JsonNode contain = json(server.postRaw("/api/v1/thumbnails?width=100&height=100", "image/jpeg", PHOTO));

            assertThat(cover.at("/spec/gravity").asText()).as("cover: %s", cover.get("spec")).isEqualTo("center");
            assertThat(cover.at("/spec").has("focus")).as("cover: %s", cover.get("spec")).isFalse();
            assertThat(contain.at("/spec").has("gravity")).as("contain: %s", contain.get("spec")).isFalse();
        }
    }

    @Test
    void the_same_image_with_another_gravity_or_focus_is_not_served_the_first_thumbnail() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String north = "/api/v1/thumbnails?width=100&height=100&fit=cover&gravity=north";
            assertThat(server.postRaw(north, "image/jpeg", PHOTO).statusCode()).isEqualTo(202);
            server.runNextJob();

            String again = status(server.postRaw(north, "image/jpeg", PHOTO));
            String south = status(server.postRaw(north.replace("north", "south"), "image/jpeg", PHOTO));
            String focus = status(server.postRaw(north.replace("gravity=north", "focus=0.5,0"), "image/jpeg", PHOTO));

            assertThat(again).as("the same request again: born done from the first thumbnail").isEqualTo("done");
            assertThat(south).as("gravity=south after gravity=north").isEqualTo("queued");
            assertThat(focus).as("focus=0.5,0 after gravity=north").isEqualTo("queued");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fit=cover&gravity=top         | gravity must be one of center, north, south, east, west, northeast, northwest, southeast, southwest, smart (was 'top')
            fit=cover&focus=1.5,0.5       | focus must lie within the image: x and y between 0 and 1 (was 1.5,0.5)
            fit=cover&focus=middle        | focus must be X,Y: two fractions of the image's width and height between 0 and 1, such as 0.5,0.25 (was 'middle')
            gravity=smart                 | gravity smart needs fit cover: only cover crops (fit was contain)
            fit=fill&focus=0.5,0.5        | focus needs fit cover: only cover crops (fit was fill)
            fit=cover&gravity=north&focus=0.5,0.1 | give either gravity or focus, not both (gravity north, focus 0.5,0.1)
            """)
    void a_placement_that_cannot_be_made_is_a_400_naming_the_option(String options, String message) {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postRaw(
                    "/api/v1/thumbnails?width=100&height=100&" + options, "image/jpeg", PHOTO);

            assertInvalid(response, message);
        }
    }

    @Test
    void a_refused_gravity_in_a_form_field_is_a_400_too() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails",
                    Map.of("width", "100", "gravity", "smart"), photo());

            assertInvalid(response, "gravity smart needs fit cover: only cover crops (fit was contain)");
        }
    }

    @Test
    void the_default_centre_gravity_goes_with_any_fit() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postRaw(
                    "/api/v1/thumbnails?width=100&height=100&fit=contain&gravity=center", "image/jpeg", PHOTO);

            assertThat(response.statusCode()).as("gravity=center asks for nothing a contain thumbnail lacks; body: %s",
                    response.body()).isEqualTo(202);
        }
    }

    @Test
    void a_refused_gravity_stores_nothing() {
        try (TestServer server = TestServer.startPaused(dir)) {
            server.postRaw("/api/v1/thumbnails?width=100&gravity=smart", "image/jpeg", PHOTO);

            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs after a refused request").isEmpty();
        }
    }

    @Test
    void the_openapi_document_lists_every_gravity() {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode gravities = json(server.get("/openapi.json")).at("/components/parameters/Gravity/schema/enum");
            List<String> documented = new ArrayList<>();
            gravities.forEach(g -> documented.add(g.asText()));

            assertThat(documented).containsExactly(Arrays.stream(Gravity.values()).map(Gravity::id).toArray(String[]::new));
        }
    }

    /** The thumbnail of a PNG upload to {@code path}, waited for. */
    private static BufferedImage thumbnail(TestServer server, String path, byte[] png) {
        HttpResponse<String> response = server.postRaw(path + "&wait=20", "image/png", png);
        assertThat(response.statusCode()).as("the job within its wait; body: %s", response.body()).isEqualTo(200);
        JsonNode job = json(response);
        assertThat(job.at("/status").asText()).as("job: %s", job).isEqualTo("done");
        HttpResponse<byte[]> file = server.getBytes(job.at("/thumbnail/url").asText());
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(file.body()));
            assertThat(image.getWidth() + "x" + image.getHeight()).as("cover fills the box").isEqualTo("100x100");
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bounds of the clearly red pixels (the object's frame), or null when there are none. */
    private static Rectangle redIn(BufferedImage image) {
        Rectangle bounds = null;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r > 160 && g < 100 && b < 100) {
                    bounds = bounds == null ? new Rectangle(x, y, 1, 1) : bounds.union(new Rectangle(x, y, 1, 1));
                }
            }
        }
        return bounds;
    }

    private static String status(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
        return json(response).at("/status").asText();
    }

    private static TestServer.FilePart photo() {
        return new TestServer.FilePart("file", "harbour.jpg", "image/jpeg", PHOTO);
    }

    private static void assertInvalid(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asText()).as("body: %s", response.body()).isEqualTo("invalid_request");
        assertThat(json(response).at("/error/message").asText()).isEqualTo(message);
    }
}
