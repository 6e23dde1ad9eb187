package io.thumbnail.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
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
    private static final Dimension PHONE = new Dimension(375, 812);
    /** The name cells of the Parameters tables: the first cell of each row of the table after a "Parameters" heading. */
    private static final String PARAMETER_NAMES = "return Array.from(document.querySelectorAll('#operations h4'))"
            + ".filter(h => h.textContent === 'Parameters')"
            + ".flatMap(h => Array.from((h.nextElementSibling.querySelector('table') || h.nextElementSibling)"
            + ".querySelectorAll('tbody tr, tr'), tr => tr.cells[0]))"
            + ".filter((td, i, all) => td.tagName === 'TD' && all.indexOf(td) === i)";
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
        browser.viewport(new Dimension(1280, 900));
        load();
    }

    private void load() {
        browser.driver.get(server.base + "/docs");
        browser.waitFor("the operations to render", () -> !browser.driver.findElements(By.cssSelector("section.op")).isEmpty());
    }

    /** The parameter names that take more than one line box (a name broken inside), on the page as it is now. */
    @SuppressWarnings("unchecked")
    private List<String> brokenParameterNames() {
        List<WebElement> cells = (List<WebElement>) browser.js(PARAMETER_NAMES);
        assertThat(cells).as("parameter name cells").isNotEmpty();
        return cells.stream().filter(td -> ((Number) browser.js("return arguments[0].querySelector('code')"
                + ".getClientRects().length", td)).intValue() > 1).map(WebElement::getText).toList();
    }

    @Test
    void parameter_names_are_never_broken_inside_on_a_desktop() {
        assertThat(brokenParameterNames()).as("names over more than one line").isEmpty();
    }

    @Test
    void parameter_names_are_never_broken_inside_on_a_phone() {
        browser.emulateScreen(PHONE);
        try {
            load();
            assertThat(brokenParameterNames()).as("names over more than one line").isEmpty();
        } finally {
            browser.stopEmulatingScreen();
        }
    }

    @Test
    void parameter_tables_have_a_header_row() {
        @SuppressWarnings("unchecked")
        List<List<String>> headers = (List<List<String>>) browser.js("return Array.from(document.querySelectorAll"
                + "('#operations h4')).filter(h => h.textContent === 'Parameters').map(h => Array.from("
                + "h.nextElementSibling.querySelectorAll('thead th'), th => th.textContent))");

        assertThat(headers).as("the header row of each Parameters table").isNotEmpty()
                .allSatisfy(h -> assertThat(h).containsExactly("Name", "In", "Type", "Description"));
    }

    @Test
    void at_phone_width_the_page_does_not_scroll_sideways() {
        browser.emulateScreen(PHONE);
        try {
            load();
            long viewport = (Long) browser.js("return document.documentElement.clientWidth");
            long content = (Long) browser.js("return document.documentElement.scrollWidth");

            assertThat(content).as("page width at a %d px viewport", viewport).isLessThanOrEqualTo(viewport);
        } finally {
            browser.stopEmulatingScreen();
        }
    }

    @Test
    void a_request_body_shows_its_content_types_and_their_fields() {
        WebElement upload = browser.driver.findElements(By.cssSelector("section.op")).stream()
                .filter(op -> op.findElement(By.tagName("h3")).getText().startsWith("POST/api/v1/thumbnails")
                        || op.findElement(By.tagName("h3")).getText().startsWith("POST /api/v1/thumbnails"))
                .findFirst().orElseThrow();
        String text = upload.getText();
        List<String> fields = upload.findElements(By.cssSelector("td.name code")).stream().map(WebElement::getText).toList();

        assertThat(text).as("the upload's section").contains("Request body")
                .contains("multipart/form-data").contains("application/json").contains("image/*");
        assertThat(fields).as("fields of its bodies").contains("file", "url", "urls", "callback_url");
    }

    @Test
    void each_get_that_answers_head_says_so_and_the_event_stream_does_not() {
        @SuppressWarnings("unchecked")
        List<String> saying = (List<String>) browser.js("return Array.from(document.querySelectorAll('section.op'))"
                + ".filter(op => op.querySelector('.also-head')).map(op => op.querySelector('.path').textContent)");

        assertThat(saying).as("GET sections that say HEAD answers too")
                .contains("/api/v1/thumbnails/{id}", "/api/v1/thumbnails/{id}/file", "/health")
                .doesNotContain("/api/v1/batches/{id}/events");
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
