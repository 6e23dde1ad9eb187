package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload form in a real browser (headless Chromium, see {@link HeadlessChromium}) against a real server: what it
 * checks before sending, how a refused request is told, what it keeps and clears, the order of the items it makes
 * and the API key field.
 */
class WebPageFormBrowserTest extends UploadPageBrowserTest {
    /** A loopback name: the service's guard fails such a job when its worker resolves the host, not at submit. */
    private static final String BLOCKED = "http://localhost:9/";

    @Test
    void pasted_urls_are_read_one_a_line_trimmed_with_blank_lines_left_out_in_their_order() {
        page.typeUrls("  " + BLOCKED + "one.jpg  ", "", "   " + BLOCKED + "two.jpg", BLOCKED + "three.jpg");
        page.submit();

        page.waitForItem(BLOCKED + "three.jpg", "failed");
        assertThat(page.itemNames()).as("the items made, top to bottom")
                .containsExactly(BLOCKED + "one.jpg", BLOCKED + "two.jpg", BLOCKED + "three.jpg");
    }

    @Test
    void files_chosen_together_are_listed_in_the_order_chosen() {
        page.upload(photo("order-a.jpg"), photo("order-b.jpg"), photo("order-c.jpg"));

        page.waitForItem("order-c.jpg", "done");
        assertThat(page.itemNames()).as("the items made, top to bottom")
                .containsExactly("order-a.jpg", "order-b.jpg", "order-c.jpg");
    }

    @Test
    void a_line_that_is_not_a_url_is_refused_in_the_form_and_nothing_is_sent() {
        page.typeUrls(BLOCKED + "good-1.jpg", BLOCKED + "good-2.jpg", "not a url");
        page.submit();

        waitForFormError();
        assertThat(formError()).as("the form's error").contains("“not a url”").contains("one URL on each line");
        assertThat(page.itemNames()).as("items made").isEmpty();
    }

    @Test
    void sizes_that_are_not_sizes_are_refused_in_the_form_and_nothing_is_sent() {
        page.find("sizes").sendKeys("100x100, abc");
        page.upload(photo("bad-sizes.jpg"));

        waitForFormError();
        assertThat(formError()).as("the form's error").contains("“abc” is not a size");
        assertThat(page.itemNames()).as("items made").isEmpty();
    }

    @Test
    void more_than_ten_sizes_are_refused_in_the_form_and_nothing_is_sent() {
        page.find("sizes").sendKeys("1x,2x,3x,4x,5x,6x,7x,8x,9x,10x,11x");
        page.upload(photo("eleven-sizes.jpg"));

        waitForFormError();
        assertThat(formError()).as("the form's error").contains("11 sizes").contains("at most 10");
        assertThat(page.itemNames()).as("items made").isEmpty();
    }

    @Test
    void a_request_the_server_refuses_is_told_once_in_the_form_and_leaves_no_item() {
        // The same size twice passes the page's own checks; the server refuses the request as a whole.
        page.find("sizes").sendKeys("100x100, 100x100");
        page.upload(photo("twice-1.jpg"), photo("twice-2.jpg"));

        waitForFormError();
        String error = formError();
        assertThat(error).as("the form's error").contains("100x100 twice");
        assertThat(error.split("twice", -1)).as("times the refusal is told in %s", error).hasSize(2);
        assertThat(page.itemNames()).as("items left on the page").isEmpty();
    }

    @Test
    void a_refused_request_keeps_the_chosen_files_and_the_pasted_urls() {
        page.find("sizes").sendKeys("100x100, 100x100");
        page.typeUrls(BLOCKED + "kept.jpg");
        page.upload(photo("kept.jpg"));

        waitForFormError();
        assertThat(page.text("chosen")).as("the chooser's note").isEqualTo("1 image chosen: kept.jpg");
        assertThat(page.find("urls").getAttribute("value")).as("the URL box").isEqualTo(BLOCKED + "kept.jpg");
    }

    @Test
    void an_accepted_request_clears_the_chooser_and_the_url_box() {
        page.typeUrls(BLOCKED + "sent.jpg");
        page.upload(photo("sent.jpg"));

        page.waitForItem("sent.jpg", "done");
        browser.waitFor("the URL box to be cleared", () -> page.find("urls").getAttribute("value").isEmpty());
        assertThat(page.text("chosen")).as("the chooser's note").isEqualTo("No images chosen.");
    }

    @Test
    void enter_in_the_api_key_field_saves_the_key_and_sends_nothing() {
        try {
            browser.driver.findElement(By.cssSelector("details.key summary")).click();
            page.find("api-key").sendKeys("typed-key", Keys.ENTER);

            browser.waitFor("the key's note", () -> page.text("key-note").equals("API key saved for this tab."));
            assertThat(formError()).as("the form's error").isEmpty();
            assertThat(browser.js("return window.sessionStorage.getItem('thumbnail.apiKey')"))
                    .as("the key kept for the tab").isEqualTo("typed-key");
            assertThat(page.itemNames()).as("items made").isEmpty();
        } finally {
            page.forgetApiKey();
        }
    }

    @Test
    void a_failed_item_shows_no_empty_preview() {
        page.pasteUrl(BLOCKED + "no-preview.jpg");

        WebElement item = page.waitForItem(BLOCKED + "no-preview.jpg", "failed");
        assertThat(item.findElement(By.className("preview")).isDisplayed()).as("the failed item's preview").isFalse();
    }

    @Test
    void the_several_sizes_placeholder_fits_its_field() {
        WebElement sizes = page.find("sizes");
        double text = ((Number) browser.js("var input = arguments[0], style = getComputedStyle(input);"
                + "var context = document.createElement('canvas').getContext('2d');"
                + "context.font = style.font;"
                + "return context.measureText(input.placeholder).width", sizes)).doubleValue();
        double room = ((Number) browser.js("var style = getComputedStyle(arguments[0]);"
                + "return arguments[0].clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)",
                sizes)).doubleValue();

        assertThat(text).as("the placeholder's width against the field's %s px", room).isLessThanOrEqualTo(room);
    }

    private void waitForFormError() {
        browser.waitFor("the form's error", () -> !formError().isEmpty());
    }

    private String formError() {
        return page.text("form-error");
    }
}
