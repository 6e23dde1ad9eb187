package io.thumbnail.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The web page against a server that requires API keys: the page itself loads open, the API needs the key. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageWithKeysBrowserTest {
    private static final String KEY = "page-key-1";

    @TempDir
    static Path dir;
    private HeadlessChromium browser;
    private TestServer server;
    private UploadPage page;

    @BeforeAll
    void start() throws Exception {
        if (HeadlessChromium.isInstalled()) {
            browser = HeadlessChromium.start(Files.createDirectory(dir.resolve("chromium-profile")));
            server = TestServer.start(dir.resolve("data"), "--api-keys", "erin:" + ApiKeyApiTest.sha256(KEY));
            page = new UploadPage(browser);
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void openThePage() {
        assumeTrue(browser != null, HeadlessChromium.MISSING);
        browser.viewport(new Dimension(1280, 900));
        page.open(server.base + "/");
    }

    @Test
    void without_a_key_an_upload_fails_with_a_hint_to_enter_one() throws IOException {
        page.forgetApiKey();
        int before = ownedJobs();
        page.upload(photo("no-key.jpg"));

        WebElement item = page.waitForItem("no-key.jpg", "failed");

        assertThat(UploadPage.errorOf(item)).as("the error shown next to the item").contains("API key");
        assertThat(ownedJobs()).as("jobs the key owns after a refused upload").isEqualTo(before);
    }

    @Test
    void with_the_key_an_upload_reaches_done_and_its_thumbnail_renders() throws IOException {
        try {
            page.enterApiKey(KEY);
            page.upload(photo("with-key.jpg"));

            WebElement item = page.waitForItem("with-key.jpg", "done");
            WebElement img = page.waitForThumbnail(item);

            assertThat(page.naturalWidth(img))
                    .as("naturalWidth of the thumbnail fetched with the key").isPositive();
            assertThat(server.as(KEY).get("/api/v1/thumbnails/" + item.getAttribute("data-id")).statusCode())
                    .as("the job, asked for with the same key").isEqualTo(200);
            assertThat(server.as(null).get("/api/v1/thumbnails/" + item.getAttribute("data-id")).statusCode())
                    .as("the job, asked for without a key").isEqualTo(401);
        } finally {
            page.forgetApiKey();
        }
    }

    private int ownedJobs() {
        try {
            return TestServer.json(server.as(KEY).get("/api/v1/thumbnails")).at("/items").size();
        } finally {
            server.as(null);
        }
    }

    private static Path photo(String name) throws IOException {
        return TestImages.write(Files.createDirectories(dir.resolve("uploads")), name,
                TestImages.photo(1200, 800, name.hashCode()));
    }
}
