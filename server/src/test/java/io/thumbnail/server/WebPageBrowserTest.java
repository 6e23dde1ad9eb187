package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page in a real browser (headless Chromium, see {@link HeadlessChromium}) against a real server and
 * service (and a second one that requires API keys): uploads, progress to done or failed, delete, the gallery, the
 * API key, keyboard and phone width.
 * Screenshots go to target/screenshots/; docs/web-page.png is the desktop one.
 */
class WebPageBrowserTest extends UploadPageBrowserTest {
    private static final Dimension PHONE = new Dimension(390, 844);

    @Test
    void an_uploaded_photo_reaches_done_and_its_thumbnail_is_shown_with_both_sizes() {
        page.upload(photo("harbour.jpg"));

        WebElement item = page.waitForItem("harbour.jpg", "done");
        assertThat(page.naturalWidth(page.waitForThumbnail(item))).as("the thumbnail decoded in the browser").isPositive();
        assertThat(item.findElement(By.className("sizes")).getText()).as("original and thumbnail sizes")
                .contains("Original 1200×800").contains("thumbnail 320×213").contains("KB");
        assertThat(UploadPage.button(item, "Download").isDisplayed()).as("a download button").isTrue();
        String id = item.getAttribute("data-id");
        browser.waitFor("the gallery to show the thumbnail", () -> page.galleryIds().contains(id));
        browser.screenshot("desktop", null);
    }

    @Test
    void auto_is_the_default_format_and_webp_a_choice() {
        assertThat(page.find("format").getAttribute("value")).as("the format chosen at first").isEqualTo("auto");
        assertThat(page.formatChoices()).as("the formats offered").containsExactly("auto", "jpeg", "png", "webp");
    }

    @Test
    void auto_makes_webp_for_the_browser_and_the_page_shows_that_webp() {
        page.upload(photo("negotiated.jpg"));

        WebElement item = page.waitForItem("negotiated.jpg", "done");
        WebElement img = page.waitForThumbnail(item);
        JsonNode job = json(server.get("/api/v1/thumbnails/" + item.getAttribute("data-id")));

        assertThat(job.at("/spec/format").asText()).as("auto from a browser that shows WebP").isEqualTo("auto-webp");
        assertThat(job.at("/thumbnail/format").asText()).isEqualTo("webp");
        assertThat(job.at("/thumbnail/fallback/format").asText()).isEqualTo("jpeg");
        assertThat(page.naturalWidth(img)).as("the thumbnail decoded in the browser").isEqualTo(320);
        assertThat(item.findElement(By.className("sizes")).getText()).as("the format the page fetched and shows")
                .contains("→ WebP thumbnail 320×213");
        assertThat(page.downloadName(job, "image/webp")).isEqualTo("negotiated.thumbnail.webp");
        assertThat(page.downloadName(job, "image/jpeg")).isEqualTo("negotiated.thumbnail.jpg");
    }

    @Test
    void choosing_webp_makes_a_webp_thumbnail() {
        page.choose("format", "webp");
        page.upload(photo("chosen-webp.jpg"));

        WebElement item = page.waitForItem("chosen-webp.jpg", "done");
        WebElement img = page.waitForThumbnail(item);
        JsonNode job = json(server.get("/api/v1/thumbnails/" + item.getAttribute("data-id")));

        assertThat(job.at("/spec/format").asText()).isEqualTo("webp");
        assertThat(job.at("/thumbnail/fallback").isMissingNode()).isTrue();
        assertThat(page.naturalWidth(img)).isEqualTo(320);
        assertThat(item.findElement(By.className("sizes")).getText()).contains("→ WebP thumbnail 320×213");
    }

    @Test
    void two_sizes_picked_make_two_thumbnails_of_one_upload() {
        page.find("sizes").sendKeys("100x100, 400x");
        page.upload(photo("two-sizes.jpg"));

        WebElement small = page.waitForItem("two-sizes.jpg (100x100)", "done");
        WebElement large = page.waitForItem("two-sizes.jpg (400x)", "done");

        assertThat(page.naturalWidth(page.waitForThumbnail(small))).as("the 100x100 thumbnail").isEqualTo(100);
        assertThat(page.naturalWidth(page.waitForThumbnail(large))).as("the 400 wide thumbnail").isEqualTo(400);
        JsonNode job = json(server.get("/api/v1/thumbnails/" + large.getAttribute("data-id")));
        assertThat(job.get("batchId").asText()).as("both in one batch")
                .isEqualTo(json(server.get("/api/v1/thumbnails/" + small.getAttribute("data-id"))).get("batchId").asText());
        page.find("sizes").clear();
    }

    @Test
    void with_fit_cover_a_crop_gravity_is_picked_and_the_upload_carries_it() {
        assertThat(page.find("gravity").isEnabled()).as("the gravity while fit is contain").isFalse();
        page.choose("fit", "cover");
        page.choose("gravity", "smart");
        page.upload(photo("smart-crop.jpg"));

        WebElement item = page.waitForItem("smart-crop.jpg", "done");
        JsonNode job = json(server.get("/api/v1/thumbnails/" + item.getAttribute("data-id")));

        assertThat(job.at("/spec/fit").asText() + " " + job.at("/spec/gravity").asText())
                .as("the job's spec: %s", job.get("spec")).isEqualTo("cover smart");
        assertThat(page.naturalWidth(page.waitForThumbnail(item))).as("the cover thumbnail fills the 320 px box")
                .isEqualTo(320);
    }

    @Test
    void the_page_works_within_its_content_security_policy_without_script_errors() {
        page.upload(photo("policy.jpg"), photo("policy-2.jpg"));
        page.waitForThumbnail(page.waitForItem("policy.jpg", "done"));
        page.waitForThumbnail(page.waitForItem("policy-2.jpg", "done"));
        browser.waitFor("the gallery", () -> !page.galleryIds().isEmpty());

        assertThat(browser.problems()).as("script errors and policy violations on the page").isEmpty();
    }

    @Test
    void deleting_an_item_removes_it_from_the_page_and_from_the_service() {
        page.upload(photo("to-delete.jpg"));
        WebElement item = page.waitForItem("to-delete.jpg", "done");
        page.waitForThumbnail(item);
        String id = item.getAttribute("data-id");

        page.delete(item);

        browser.waitFor("the deleted item to leave the page", () -> !page.hasItem("to-delete.jpg"));
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("the job after Delete").isEqualTo(404);
    }

    @Test
    void a_width_out_of_range_is_refused_before_any_byte_is_sent() {
        browser.js("document.getElementById('width').value = '5000'");

        page.upload(photo("too-wide.jpg"));

        browser.waitFor("the form's error", () -> browser.driver.findElement(By.id("form-error")).getText()
                .equals("The width must be a whole number from 1 to 4096."));
        assertThat(browser.driver.findElements(By.cssSelector("#items > li"))).as("items sent").isEmpty();
    }

    @Test
    void a_corrupt_file_shows_why_it_failed_in_words_next_to_it() {
        byte[] jpeg = TestImages.photo(1200, 800, 7);
        Path broken = TestImages.write(uploads(), "broken.jpg", Arrays.copyOf(jpeg, jpeg.length / 3));

        page.upload(broken);

        WebElement item = page.waitForItem("broken.jpg", "failed");
        JsonNode job = json(server.get("/api/v1/thumbnails/" + item.getAttribute("data-id")));
        String message = job.at("/error/message").asText();
        assertThat(message).as("the failed job's message").isNotBlank();
        assertThat(UploadPage.errorOf(item)).as("the error shown next to the item")
                .contains(message).contains(job.at("/error/code").asText());
        browser.waitFor("the live region to announce the failure",
                () -> page.text("announcer").contains("broken.jpg failed"));
        browser.screenshot("failed", item);
    }

    @Test
    void a_pasted_url_is_sent_as_json_and_its_failure_shown_in_words() {
        // A host name that resolves to loopback: the SSRF guard (on by default) fails the job before any connection.
        String url = "http://localhost:9/blocked.jpg";

        page.pasteUrl(url);

        WebElement item = page.waitForItem(url, "failed");
        JsonNode job = json(server.get("/api/v1/thumbnails/" + item.getAttribute("data-id")));
        assertThat(job.at("/source/url").asText()).as("the job's source").isEqualTo(url);
        assertThat(UploadPage.errorOf(item)).as("the error shown next to the URL")
                .contains(job.at("/error/message").asText()).contains("source_blocked");
    }

    @Test
    void several_files_follow_the_batch_event_stream_to_done() {
        page.upload(photo("first.jpg"), photo("second.jpg"));

        for (String name : List.of("first.jpg", "second.jpg")) {
            WebElement item = page.waitForItem(name, "done");
            assertThat(page.naturalWidth(page.waitForThumbnail(item))).as(name + " thumbnail width").isPositive();
        }
        browser.waitFor("the gallery to show both", () -> page.galleryIds().size() >= 2);
        for (String name : List.of("first.jpg", "second.jpg")) {
            assertThat(page.waitForItem(name, "done").findElement(By.className("sizes")).getText())
                    .as(name + ": its sizes, after the batch's last event too").contains("thumbnail");
        }
    }

    @Test
    void deleting_an_item_moves_focus_to_the_next_item_not_to_the_top_of_the_page() {
        page.upload(photo("keep.jpg"), photo("drop.jpg"));
        WebElement dropped = page.waitForItem("drop.jpg", "done");
        page.waitForItem("keep.jpg", "done");

        page.delete(dropped);

        browser.waitFor("the deleted item to leave the page", () -> !page.hasItem("drop.jpg"));
        Object focused = browser.js("var a = document.activeElement; return a.closest('#items') ? a.textContent"
                + " + ' in ' + a.closest('[data-id]').querySelector('.name').textContent : a.tagName");
        assertThat(String.valueOf(focused)).as("what has the focus after Delete").contains("keep.jpg");
    }

    @Test
    void a_dropped_image_is_chosen_and_uploaded() {
        page.drop("dropped.png", "image/png", TestImages.gradient(300, 200, "png"));

        assertThat(page.text("chosen")).as("the drop zone's note").isEqualTo("1 image chosen: dropped.png");
        page.submit();
        WebElement item = page.waitForItem("dropped.png", "done");
        assertThat(page.naturalWidth(page.waitForThumbnail(item))).as("thumbnail width").isPositive();
    }

    @Test
    void the_gallery_pages_to_older_thumbnails_and_back() {
        // One more than a page, made through the API, so there is an older page whatever else is stored.
        TestServer.FilePart[] parts = new TestServer.FilePart[13];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = new TestServer.FilePart("gallery-" + i + ".png", "image/png", TestImages.gradient(60 + i, 40, "png"));
        }
        assertThat(server.postMultipart("/api/v1/thumbnails?wait=30", Map.of("width", "50"), parts).statusCode())
                .as("the batch finished within the wait").isEqualTo(200);
        page.reload();
        browser.waitFor("a full first page", () -> page.galleryIds().size() == 12);
        List<String> first = page.galleryIds();

        page.find("gallery-older").click();
        browser.waitFor("the older page", () -> !page.galleryIds().isEmpty() && !page.galleryIds().equals(first));
        assertThat(page.galleryIds()).as("the older page").doesNotContainAnyElementsOf(first);
        assertThat(page.find("gallery-newer").isEnabled()).as("Newer on the older page").isTrue();

        page.find("gallery-newer").click();
        browser.waitFor("the first page again", () -> page.galleryIds().equals(first));
        assertThat(page.find("gallery-newer").isEnabled()).as("Newer on the first page").isFalse();
    }

    @Test
    void the_api_key_is_kept_for_the_tab_across_reloads() {
        try {
            page.enterApiKey("secret-key");
            page.reload();

            assertThat(page.find("api-key").getAttribute("value")).as("the key after a reload").isEqualTo("secret-key");
            assertThat(page.apiKeySectionOpen()).as("a stored key keeps its section open").isTrue();
        } finally {
            page.forgetApiKey();
        }
    }

    @Test
    void an_api_key_is_sent_as_a_bearer_token_on_every_api_call() {
        try {
            page.enterApiKey("secret-key");
            page.recordRequests();

            page.upload(photo("with-key.jpg"));
            page.waitForThumbnail(page.waitForItem("with-key.jpg", "done"));
            page.find("gallery-refresh").click();
            browser.waitFor("the gallery request",
                    () -> page.recordedRequests().stream().anyMatch(r -> r.contains("status=done")));

            List<String> seen = page.recordedRequests();
            assertThat(seen).as("requests made")
                    .anySatisfy(r -> assertThat(r).startsWith("/api/v1/thumbnails Bearer"))
                    .anySatisfy(r -> assertThat(r).contains("/file Bearer"));
            assertThat(seen).as("every API request carries the key")
                    .allSatisfy(r -> assertThat(r).endsWith(" Bearer secret-key"));
        } finally {
            page.forgetApiKey();
        }
    }

    @Test
    void every_control_of_the_form_is_reached_with_the_tab_key() {
        List<String> wanted = List.of("files", "urls", "width", "height", "fit", "format", "submit");
        List<String> reached = new ArrayList<>();
        browser.driver.findElement(By.tagName("body")).click();
        for (int i = 0; i < 30 && !reached.containsAll(wanted); i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            reached.add(String.valueOf(browser.js("return document.activeElement.id")));
        }
        assertThat(reached).as("ids focused by Tab, in order").containsSubsequence(wanted);
    }

    @Test
    void the_page_fits_a_phone_width_window() {
        browser.emulateScreen(PHONE);
        try {
            page.reload();
            page.upload(photo("phone.jpg"));
            page.waitForThumbnail(page.waitForItem("phone.jpg", "done"));

            long viewport = (Long) browser.js("return document.documentElement.clientWidth");
            long content = (Long) browser.js("return document.documentElement.scrollWidth");
            assertThat(viewport).as("the emulated phone's width").isEqualTo(PHONE.width);
            assertThat(content).as("page width at a %d px viewport (no sideways scrolling)", viewport)
                    .isLessThanOrEqualTo(viewport);
            browser.screenshot("phone", page.item("phone.jpg"));
        } finally {
            browser.stopEmulatingScreen();
        }
    }

    /** Against a server whose request limit holds one photo but not two. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithASmallUploadLimit {
        private TestServer small;
        private Path first;
        private Path second;

        @BeforeAll
        void startSmallServer() throws IOException {
            if (browser != null) {
                first = photo("limit-1.jpg");
                second = photo("limit-2.jpg");
                long larger = Math.max(Files.size(first), Files.size(second));
                long limit = larger + 16 * 1024; // one file and its multipart framing, not both
                assertThat(limit).as("the limit, below both photos together")
                        .isLessThan(Files.size(first) + Files.size(second));
                small = TestServer.start(dir.resolve("small-data"), "--max-upload-bytes", String.valueOf(limit));
            }
        }

        @AfterAll
        void stopSmallServer() {
            if (small != null) {
                small.close();
            }
        }

        @BeforeEach
        void openTheSmallServersPage() {
            page.open(small.base + "/");
        }

        @Test
        void files_too_large_together_for_one_request_are_sent_one_by_one_and_all_reach_done() {
            page.upload(first, second);

            page.waitForItem("limit-1.jpg", "done");
            page.waitForItem("limit-2.jpg", "done");
        }

        @Test
        void a_file_over_the_limit_is_named_and_the_limit_given_in_kilobytes() throws IOException {
            long limit = Files.size(first) + 16 * 1024;
            Path large = TestImages.write(uploads(), "over-the-limit.jpg", TestImages.photo(3000, 2000, 11));
            assertThat(Files.size(large)).as("the large photo, over the limit").isGreaterThan(limit);

            page.upload(large);

            WebElement item = page.waitForItem("over-the-limit.jpg", "failed");
            assertThat(UploadPage.errorOf(item)).as("the error shown next to the file")
                    .startsWith("over-the-limit.jpg (").contains(" KB) is too large")
                    .endsWith("at most " + Math.round(limit / 1024.0) + " KB.")
                    .doesNotContain("bytes");
        }
    }

    /** Against a server whose jobs wait until the test runs them: many single images waiting at once. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithWorkersPaused {
        private TestServer paused;

        @BeforeAll
        void startPausedServer() {
            if (browser != null) {
                paused = TestServer.startPaused(dir.resolve("paused-data"));
            }
        }

        @AfterAll
        void stopPausedServer() {
            if (paused != null) {
                paused.close();
            }
        }

        @BeforeEach
        void openThePausedServersPage() {
            page.open(paused.base + "/");
        }

        @Test
        void seven_single_images_waiting_at_once_leave_connections_for_the_next_upload_and_all_reach_done() {
            for (int i = 1; i <= 6; i++) {
                page.upload(photo("waiting-" + i + ".jpg"));
                page.waitForItem("waiting-" + i + ".jpg", "queued");
            }

            page.upload(photo("seventh.jpg"));

            // Six long polls held at once would take every connection the browser keeps to the server, and this
            // upload would wait for one of them to end (25 s).
            browser.waitFor("the seventh upload to be accepted", Duration.ofSeconds(10),
                    () -> "queued".equals(page.item("seventh.jpg").getAttribute("data-status")));
            for (int i = 0; i < 7; i++) {
                paused.runNextJob();
            }
            for (int i = 1; i <= 6; i++) {
                page.waitForItem("waiting-" + i + ".jpg", "done");
            }
            page.waitForItem("seventh.jpg", "done");
        }
    }

    /** Against a server that requires API keys: the page itself loads open, the API needs the key. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithApiKeys {
        private static final String KEY = "page-key-1";
        private TestServer keyed;

        @BeforeAll
        void startKeyedServer() throws Exception {
            if (browser != null) {
                keyed = TestServer.start(dir.resolve("keyed-data"), "--api-keys", "erin:" + ApiKeyApiTest.sha256(KEY));
            }
        }

        @AfterAll
        void stopKeyedServer() {
            if (keyed != null) {
                keyed.close();
            }
        }

        @BeforeEach
        void openTheKeyedServersPage() {
            page.open(keyed.base + "/");
        }

        @Test
        void without_a_key_an_upload_fails_with_a_hint_to_enter_one() {
            page.forgetApiKey();
            int before = ownedJobs();
            page.upload(photo("no-key.jpg"));

            WebElement item = page.waitForItem("no-key.jpg", "failed");

            assertThat(UploadPage.errorOf(item)).as("the error shown next to the item").contains("API key");
            assertThat(ownedJobs()).as("jobs the key owns after a refused upload").isEqualTo(before);
        }

        @Test
        void with_the_key_an_upload_reaches_done_and_its_thumbnail_renders() {
            try {
                page.enterApiKey(KEY);
                page.upload(photo("with-key.jpg"));

                WebElement item = page.waitForItem("with-key.jpg", "done");
                WebElement img = page.waitForThumbnail(item);

                assertThat(page.naturalWidth(img))
                        .as("naturalWidth of the thumbnail fetched with the key").isPositive();
                assertThat(keyed.as(KEY).get("/api/v1/thumbnails/" + item.getAttribute("data-id")).statusCode())
                        .as("the job, asked for with the same key").isEqualTo(200);
                assertThat(keyed.as(null).get("/api/v1/thumbnails/" + item.getAttribute("data-id")).statusCode())
                        .as("the job, asked for without a key").isEqualTo(401);
            } finally {
                page.forgetApiKey();
            }
        }

        @Test
        void a_gallery_that_cannot_load_with_another_key_shows_none_of_the_last_keys_thumbnails() {
            try {
                page.enterApiKey(KEY);
                page.upload(photo("keyed-gallery.jpg"));
                String id = page.waitForItem("keyed-gallery.jpg", "done").getAttribute("data-id");
                browser.waitFor("the gallery to show the thumbnail", () -> page.galleryIds().contains(id));

                page.find("api-key").clear();
                page.find("api-key").sendKeys("not-a-key", Keys.TAB);

                browser.waitFor("the gallery's note", () -> page.text("gallery-note").contains("Could not load"));
                assertThat(page.galleryIds()).as("thumbnails shown without a valid key").isEmpty();
                assertThat(page.find("gallery-older").isEnabled()).as("Older").isFalse();
                assertThat(page.find("gallery-newer").isEnabled()).as("Newer").isFalse();
            } finally {
                page.forgetApiKey();
            }
        }

        private int ownedJobs() {
            try {
                return json(keyed.as(KEY).get("/api/v1/thumbnails")).at("/items").size();
            } finally {
                keyed.as(null);
            }
        }
    }
}
