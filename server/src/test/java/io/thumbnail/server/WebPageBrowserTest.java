package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The upload page in a real browser: Debian's headless Chromium driven by Selenium through the system chromedriver
 * (explicit paths, so Selenium Manager never looks for or downloads anything). Without chromedriver the test is
 * skipped, unless {@code THUMBNAIL_REQUIRE_BROWSER=1} (as in CI), where that is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Dimension DESKTOP = new Dimension(1280, 900);
    private static final Dimension PHONE = new Dimension(390, 844);

    @TempDir
    static Path dir;
    private TestServer server;
    private ChromeDriverService driverService;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws IOException {
        boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!present && "1".equals(System.getenv("THUMBNAIL_REQUIRE_BROWSER"))) {
            fail("THUMBNAIL_REQUIRE_BROWSER=1 but " + CHROMEDRIVER + " or " + CHROMIUM
                    + " is missing: apt-get install chromium chromium-driver");
        }
        assumeTrue(present, "skipped: no " + CHROMEDRIVER + " (apt-get install chromium chromium-driver to run it)");
        server = TestServer.start(dir.resolve("data"));
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
                "--user-data-dir=" + Files.createDirectory(dir.resolve("chromium-profile")));
        browser = new ChromeDriver(driverService, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openThePage() {
        browser.get(server.base + "/");
        viewport(DESKTOP);
        waitFor("the status line from /health", () -> text(By.id("status")).contains("workers"));
    }

    @Test
    void an_uploaded_photo_reaches_done_and_its_thumbnail_is_shown_with_both_sizes() {
        upload(photo("harbour.jpg"));

        WebElement item = waitForItem("harbour.jpg", "done");
        WebElement img = waitForThumbnail(item);
        assertThat(naturalWidth(img)).as("the thumbnail decoded in the browser").isPositive();
        assertThat(item.findElement(By.className("sizes")).getText()).as("original and thumbnail sizes")
                .contains("Original 1200×800").contains("thumbnail 320×213").contains("KB");
        assertThat(item.findElements(By.xpath(".//button[text()='Download']"))).as("a download button").hasSize(1);
        waitFor("the gallery to show the thumbnail",
                () -> !browser.findElements(By.cssSelector("#gallery li[data-id='" + item.getAttribute("data-id")
                        + "'] img")).isEmpty());
        screenshot("desktop", null);
    }

    @Test
    void deleting_an_item_removes_it_from_the_page_and_from_the_service() {
        upload(photo("to-delete.jpg"));
        WebElement item = waitForItem("to-delete.jpg", "done");
        waitForThumbnail(item);
        String id = item.getAttribute("data-id");

        item.findElement(By.xpath(".//button[text()='Delete']")).click();

        waitFor("the deleted item to leave the page", () -> browser.findElements(itemNamed("to-delete.jpg")).isEmpty());
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("the job after Delete").isEqualTo(404);
    }

    @Test
    void a_corrupt_file_shows_why_it_failed_in_words_next_to_it() throws IOException {
        byte[] jpeg = Files.readAllBytes(photo("whole.jpg"));
        Path broken = write("broken.jpg", Arrays.copyOf(jpeg, jpeg.length / 3));

        upload(broken);

        WebElement item = waitForItem("broken.jpg", "failed");
        JsonNode job = json(server.get("/api/v1/thumbnails/" + item.getAttribute("data-id")));
        String message = job.at("/error/message").asText();
        assertThat(message).as("the failed job's message").isNotBlank();
        assertThat(item.findElement(By.cssSelector(".error")).getText()).as("the error shown next to the item")
                .contains(message).contains(job.at("/error/code").asText());
        waitFor("the live region to announce the failure", () -> text(By.id("announcer")).contains("broken.jpg failed"));
        screenshot("failed", item);
    }

    @Test
    void a_pasted_url_is_sent_as_json_and_its_failure_shown_in_words() {
        // A loopback URL: the SSRF guard (on by default) fails the job before any connection is made.
        String url = "http://127.0.0.1:9/blocked.jpg";
        browser.findElement(By.id("urls")).sendKeys(url);
        browser.findElement(By.id("submit")).click();

        WebElement item = waitForItem(url, "failed");
        JsonNode job = json(server.get("/api/v1/thumbnails/" + item.getAttribute("data-id")));
        assertThat(job.at("/source/url").asText()).as("the job's source").isEqualTo(url);
        assertThat(item.findElement(By.cssSelector(".error")).getText()).as("the error shown next to the URL")
                .contains(job.at("/error/message").asText()).contains("source_blocked");
    }

    @Test
    void several_files_follow_the_batch_event_stream_to_done() {
        upload(photo("first.jpg"), photo("second.jpg"));

        for (String name : List.of("first.jpg", "second.jpg")) {
            WebElement item = waitForItem(name, "done");
            assertThat(naturalWidth(waitForThumbnail(item))).as(name + " thumbnail width").isPositive();
        }
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
        browser.navigate().refresh();
        waitFor("a full first page", () -> galleryIds().size() == 12);
        List<String> first = galleryIds();

        browser.findElement(By.id("gallery-older")).click();
        waitFor("the older page", () -> !galleryIds().isEmpty() && !galleryIds().equals(first));
        assertThat(galleryIds()).as("the older page").doesNotContainAnyElementsOf(first);
        assertThat(browser.findElement(By.id("gallery-newer")).isEnabled()).as("Newer on the older page").isTrue();

        browser.findElement(By.id("gallery-newer")).click();
        waitFor("the first page again", () -> galleryIds().equals(first));
        assertThat(browser.findElement(By.id("gallery-newer")).isEnabled()).as("Newer on the first page").isFalse();
    }

    @Test
    void the_api_key_is_kept_for_the_tab_across_reloads() {
        try {
            browser.findElement(By.cssSelector("details.key summary")).click();
            browser.findElement(By.id("api-key")).sendKeys("secret-key", Keys.TAB);
            browser.navigate().refresh();

            assertThat(browser.findElement(By.id("api-key")).getAttribute("value")).as("the key after a reload")
                    .isEqualTo("secret-key");
            assertThat(browser.findElement(By.cssSelector("details.key")).getAttribute("open"))
                    .as("a stored key keeps its section open").isNotNull();
        } finally {
            js("window.sessionStorage.clear()");
        }
    }

    @Test
    void a_dropped_image_is_chosen_and_uploaded() {
        String png = Base64.getEncoder().encodeToString(TestImages.gradient(300, 200, "png"));
        js("var bytes = Uint8Array.from(atob(arguments[0]), function (c) { return c.charCodeAt(0); });"
                + "var transfer = new DataTransfer();"
                + "transfer.items.add(new File([bytes], 'dropped.png', {type: 'image/png'}));"
                + "document.getElementById('dropzone').dispatchEvent("
                + "  new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));", png);

        assertThat(text(By.id("chosen"))).as("the drop zone's note").isEqualTo("1 image chosen: dropped.png");
        browser.findElement(By.id("submit")).click();
        assertThat(naturalWidth(waitForThumbnail(waitForItem("dropped.png", "done")))).as("thumbnail width").isPositive();
    }

    @Test
    void an_api_key_is_sent_as_a_bearer_token_on_every_api_call() {
        try {
            browser.findElement(By.cssSelector("details.key summary")).click();
            browser.findElement(By.id("api-key")).sendKeys("secret-key", Keys.TAB);
            // Record the Authorization header of every fetch and XMLHttpRequest the page makes from now on.
            js("window.seen = [];"
                    + "var fetched = window.fetch;"
                    + "window.fetch = function (url, init) {"
                    + "  window.seen.push(url + ' ' + ((init && init.headers && init.headers.Authorization) || 'none'));"
                    + "  return fetched.apply(this, arguments); };"
                    + "var open = XMLHttpRequest.prototype.open, set = XMLHttpRequest.prototype.setRequestHeader;"
                    + "XMLHttpRequest.prototype.open = function (m, url) { this.url = url; this.auth = 'none';"
                    + "  return open.apply(this, arguments); };"
                    + "XMLHttpRequest.prototype.setRequestHeader = function (h, v) {"
                    + "  if (h === 'Authorization') { this.auth = v; } return set.apply(this, arguments); };"
                    + "var send = XMLHttpRequest.prototype.send;"
                    + "XMLHttpRequest.prototype.send = function () { window.seen.push(this.url + ' ' + this.auth);"
                    + "  return send.apply(this, arguments); };");

            upload(photo("with-key.jpg"));
            waitForThumbnail(waitForItem("with-key.jpg", "done"));
            browser.findElement(By.id("gallery-refresh")).click();
            waitFor("the gallery request", () -> seenRequests().stream().anyMatch(r -> r.contains("status=done")));

            List<String> seen = seenRequests();
            assertThat(seen).as("requests made").anySatisfy(r -> assertThat(r).startsWith("/api/v1/thumbnails Bearer"))
                    .anySatisfy(r -> assertThat(r).contains("/file Bearer"));
            assertThat(seen).as("every API request carries the key")
                    .allSatisfy(r -> assertThat(r).endsWith(" Bearer secret-key"));
        } finally {
            js("window.sessionStorage.clear()");
        }
    }

    @Test
    void every_control_of_the_form_is_reached_with_the_tab_key() {
        List<String> wanted = List.of("files", "urls", "width", "height", "fit", "format", "submit");
        List<String> reached = new ArrayList<>();
        WebElement body = browser.findElement(By.tagName("body"));
        body.click();
        for (int i = 0; i < 30 && !reached.containsAll(wanted); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            reached.add(String.valueOf(js("return document.activeElement.id")));
        }
        assertThat(reached).as("ids focused by Tab, in order").containsSubsequence(wanted);
    }

    @Test
    void the_page_fits_a_phone_width_window() {
        // A desktop window cannot be made this narrow; emulate the phone's screen instead.
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", PHONE.width,
                "height", PHONE.height, "deviceScaleFactor", 1, "mobile", true));
        try {
            browser.navigate().refresh();
            upload(photo("phone.jpg"));
            waitForThumbnail(waitForItem("phone.jpg", "done"));

            long viewport = (Long) js("return document.documentElement.clientWidth");
            long content = (Long) js("return document.documentElement.scrollWidth");
            assertThat(viewport).as("the emulated phone's width").isEqualTo(PHONE.width);
            assertThat(content).as("page width at a %d px viewport (no sideways scrolling)", viewport)
                    .isLessThanOrEqualTo(viewport);
            screenshot("phone", browser.findElement(itemNamed("phone.jpg")));
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Sizes the window so the page itself (not the window around it) gets {@code size}. */
    private void viewport(Dimension size) {
        browser.manage().window().setSize(size);
        long extraWidth = (Long) js("return window.outerWidth - window.innerWidth");
        long extraHeight = (Long) js("return window.outerHeight - window.innerHeight");
        browser.manage().window().setSize(new Dimension(size.width + (int) extraWidth, size.height + (int) extraHeight));
    }

    private void upload(Path... files) {
        browser.findElement(By.id("files")).sendKeys(String.join("\n",
                Arrays.stream(files).map(p -> p.toAbsolutePath().toString()).toList()));
        browser.findElement(By.id("submit")).click();
    }

    private WebElement waitForItem(String name, String status) {
        waitFor(name + " to be " + status, () -> browser.findElements(itemNamed(name)).stream()
                .anyMatch(e -> status.equals(e.getAttribute("data-status"))
                        || "failed".equals(e.getAttribute("data-status"))));
        WebElement item = browser.findElement(itemNamed(name));
        assertThat(item.getAttribute("data-status")).as(name + " status (error: " + errorOf(item) + ")").isEqualTo(status);
        return item;
    }

    private WebElement waitForThumbnail(WebElement item) {
        waitFor("the thumbnail to load", () -> item.findElements(By.tagName("img")).stream()
                .anyMatch(img -> Boolean.TRUE.equals(js("return arguments[0].complete", img))));
        return item.findElement(By.tagName("img"));
    }

    @SuppressWarnings("unchecked")
    private List<String> seenRequests() {
        return (List<String>) js("return window.seen.slice()");
    }

    /** Read in one script, so a re-render cannot leave a stale element half-way. */
    @SuppressWarnings("unchecked")
    private List<String> galleryIds() {
        return (List<String>) js("return Array.from(document.querySelectorAll('#gallery li'), li => li.dataset.id)");
    }

    private static By itemNamed(String name) {
        return By.xpath("//ul[@id='items']/li[.//p[@class='name' and text()='" + name + "']]");
    }

    private static String errorOf(WebElement item) {
        return item.findElements(By.cssSelector(".error")).stream().map(WebElement::getText).findFirst().orElse("");
    }

    private long naturalWidth(WebElement img) {
        return (Long) js("return arguments[0].naturalWidth", img);
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void waitFor(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, PATIENCE).withMessage(what).until(d -> condition.getAsBoolean());
    }

    /** Saves what the window shows, scrolled to {@code subject} first when there is one. */
    private void screenshot(String name, WebElement subject) {
        if (subject != null) {
            js("arguments[0].scrollIntoView({block: 'center'})", subject);
        }
        try {
            Files.write(SCREENSHOTS.resolve("web-page-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 1200x800 photo-like JPEG: a sky gradient, a sun and a darker ground. */
    private Path photo(String name) {
        BufferedImage image = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 170), 0, 520, new Color(250, 180, 120)));
            g.fillRect(0, 0, 1200, 520);
            g.setColor(new Color(255, 230, 150));
            g.fill(new Ellipse2D.Double(780, 300, 180, 180));
            g.setPaint(new GradientPaint(0, 520, new Color(30, 70, 90), 0, 800, new Color(10, 25, 35)));
            g.fillRect(0, 520, 1200, 280);
            // A different stripe per name, so no two uploads are the same image (the service dedupes those).
            g.setColor(new Color(Math.floorMod(name.hashCode(), 255), 120, 140));
            g.fillRect(0, 600 + Math.floorMod(name.hashCode(), 150), 1200, 6);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(name, out.toByteArray());
    }

    private Path write(String name, byte[] bytes) {
        try {
            Path uploads = Files.createDirectories(dir.resolve("uploads"));
            return Files.write(uploads.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
