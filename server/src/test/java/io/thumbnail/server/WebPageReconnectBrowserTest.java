package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The upload page in headless Chromium across a restart of the server: a batch's event stream that ends before the
 * batch did is read again, from the server started anew on the same port and data, to the end.
 */
class WebPageReconnectBrowserTest {
    @TempDir
    Path dir;

    private Path photo(String name) throws IOException {
        return TestImages.write(Files.createDirectories(dir.resolve("uploads")), name,
                TestImages.photo(800, 600, name.hashCode()));
    }

    @Test
    void a_batch_followed_across_a_server_restart_reaches_done() throws Exception {
        assumeTrue(HeadlessChromium.isInstalled(), HeadlessChromium.MISSING);
        Path data = dir.resolve("data");
        try (HeadlessChromium browser = HeadlessChromium.start(Files.createDirectory(dir.resolve("profile")))) {
            UploadPage page = new UploadPage(browser);
            TestServer first = TestServer.startPaused(data);
            int port = first.server.port();
            TestServer second = null;
            try {
                page.open(first.base + "/");
                page.upload(photo("before.jpg"), photo("after.jpg"));
                page.waitForItem("before.jpg", "queued");
                page.waitForItem("after.jpg", "queued");

                // Its stream ends (with an unavailable event) while both jobs are still queued.
                first.close();
                first = null;
                second = TestServer.startOn(port, data);

                page.waitForItem("before.jpg", "done");
                page.waitForItem("after.jpg", "done");
            } finally {
                if (first != null) {
                    first.close();
                }
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    @Test
    void with_the_server_away_a_refresh_says_so_in_words_not_the_browsers() throws Exception {
        assumeTrue(HeadlessChromium.isInstalled(), HeadlessChromium.MISSING);
        try (HeadlessChromium browser = HeadlessChromium.start(Files.createDirectory(dir.resolve("profile")))) {
            UploadPage page = new UploadPage(browser);
            TestServer server = TestServer.startPaused(dir.resolve("data"));
            page.open(server.base + "/");
            server.close();

            browser.driver.findElement(org.openqa.selenium.By.id("gallery-refresh")).click();

            browser.waitFor("the gallery's note", () -> browser.driver.findElement(
                    org.openqa.selenium.By.id("gallery-note")).getText().contains("did not reach the server"));
        }
    }
}
