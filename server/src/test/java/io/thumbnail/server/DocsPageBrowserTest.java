package io.thumbnail.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code /docs} in a real browser (headless Chromium, see {@link HeadlessChromium}), rendering the server's document. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsPageBrowserTest {
    @TempDir
    static Path dir;
    private HeadlessChromium browser;
    private TestServer server;

    @BeforeAll
    void start() throws IOException {
        if (HeadlessChromium.isInstalled()) {
            browser = HeadlessChromium.start(Files.createDirectory(dir.resolve("chromium-profile")));
            server = TestServer.startPaused(dir.resolve("data"));
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
    void openTheDocs() {
        assumeTrue(browser != null, HeadlessChromium.MISSING);
        browser.driver.get(server.base + "/docs");
        browser.waitFor("the operations to render", () -> !browser.driver.findElements(By.cssSelector("section.op")).isEmpty());
    }

    private List<WebElement> descriptions() {
        return browser.driver.findElements(By.cssSelector("#operations p, #operations td"));
    }

    @Test
    void backticked_text_in_descriptions_is_shown_as_code_without_the_backticks() {
        assertThat(descriptions()).as("descriptions rendered").isNotEmpty()
                .allSatisfy(d -> assertThat(d.getText()).as("rendered text").doesNotContain("`"));
        List<String> code = browser.driver.findElements(By.cssSelector("#operations p code, #operations td code"))
                .stream().map(WebElement::getText).toList();
        assertThat(code).as("inline code in operation, parameter and response descriptions")
                .contains("--default-size", "--max-output-side", "image_data", "{\"url\": \"https://...\"}");
    }

    @Test
    void markup_inside_a_description_stays_text() {
        // The 401 response reads `Authorization: Bearer <key>`: shown as those characters, never as an element.
        List<String> code = browser.driver.findElements(By.cssSelector("#operations td code")).stream()
                .map(WebElement::getText).toList();

        assertThat(code).contains("Authorization: Bearer <key>");
        assertThat(browser.driver.findElements(By.tagName("key"))).as("elements made from description text").isEmpty();
        assertThat(browser.problems()).as("script errors and policy violations on the page").isEmpty();
    }
}
