package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Recent thumbnails" in a real browser (headless Chromium, see {@link HeadlessChromium}) against a real server:
 * each figure's Download and Delete, and its caption.
 */
class WebPageGalleryBrowserTest extends UploadPageBrowserTest {
    /** Notes the name of every download the page starts, instead of saving it. */
    private static final String RECORD_DOWNLOADS = "window.downloads = [];"
            + "HTMLAnchorElement.prototype.click = function () { window.downloads.push(this.download); };";

    @Test
    void delete_in_the_gallery_deletes_the_job_and_takes_it_off_the_page() {
        page.upload(photo("gallery-delete.jpg"));
        String id = page.waitForItem("gallery-delete.jpg", "done").getAttribute("data-id");
        browser.waitFor("the gallery to show the thumbnail", () -> page.galleryIds().contains(id));

        page.delete(page.galleryFigure(id));

        browser.waitFor("the figure to leave the gallery", () -> !page.galleryIds().contains(id));
        assertThat(page.hasItem("gallery-delete.jpg")).as("the session's item of the deleted job").isFalse();
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("the job after Delete").isEqualTo(404);
    }

    @Test
    void after_a_reload_a_thumbnail_is_deleted_from_the_gallery() {
        String id = inTheGalleryAfterAReload("before-reload.png");

        page.delete(page.galleryFigure(id));

        browser.waitFor("the figure to leave the gallery", () -> !page.galleryIds().contains(id));
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("the job after Delete").isEqualTo(404);
        assertThat(browser.problems()).as("script errors and policy violations on the page").isEmpty();
    }

    @Test
    void one_press_of_delete_asks_for_confirmation_and_deletes_nothing() {
        String id = inTheGalleryAfterAReload("slip.png");

        UploadPage.button(page.galleryFigure(id), "Delete").click();

        assertThat(UploadPage.button(page.galleryFigure(id), "Confirm").getAttribute("aria-label"))
                .as("the name screen readers give the button after one press")
                .isEqualTo("Confirm: delete the thumbnail of slip.png");
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("the job after one press of Delete")
                .isEqualTo(200);
    }

    @Test
    void a_double_click_on_delete_deletes_nothing() {
        String id = inTheGalleryAfterAReload("double-click.png");

        new Actions(browser.driver)
                .doubleClick(UploadPage.button(page.galleryFigure(id), "Delete")).perform();

        assertThat(UploadPage.button(page.galleryFigure(id), "Confirm").isDisplayed())
                .as("the button after a double click").isTrue();
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("the job after a double click on Delete")
                .isEqualTo(200);
    }

    @Test
    void enter_held_down_on_delete_deletes_nothing() {
        String id = inTheGalleryAfterAReload("held-enter.png");
        UploadPage.button(page.galleryFigure(id), "Delete").sendKeys(Keys.ENTER);
        WebElement confirm = UploadPage.button(page.galleryFigure(id), "Confirm");
        browser.waitFor("Confirm to take a press", () -> "ready".equals(confirm.getAttribute("data-confirm")));

        // What the keyboard sends while Enter stays down: the same key again, marked as a repeat.
        browser.driver.executeCdpCommand("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", "Enter",
                "code", "Enter", "text", "\r", "windowsVirtualKeyCode", 13, "autoRepeat", true));

        assertThat(confirm.getText()).as("the button after Enter repeated").isEqualTo("Confirm");
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("the job after Enter held down")
                .isEqualTo(200);
    }

    @Test
    void a_delete_waiting_for_its_confirmation_reads_delete_again_once_it_loses_the_focus() {
        String id = inTheGalleryAfterAReload("changed-my-mind.png");
        UploadPage.button(page.galleryFigure(id), "Delete").click();

        browser.js("document.getElementById('gallery-refresh').focus()");

        WebElement button = UploadPage.button(page.galleryFigure(id), "Delete");
        assertThat(button.getAttribute("aria-label")).as("the button's name once the focus went elsewhere")
                .isEqualTo("Delete the thumbnail of changed-my-mind.png");
        button.click();
        assertThat(UploadPage.button(page.galleryFigure(id), "Confirm").isDisplayed())
                .as("the press after the change of focus asks again").isTrue();
        assertThat(server.get("/api/v1/thumbnails/" + id).statusCode())
                .as("the job after a press, a change of focus and one more press").isEqualTo(200);
    }

    @Test
    void download_in_the_gallery_saves_the_thumbnail_under_the_images_name() {
        String id = madeThroughTheApi("to-download.png");
        page.reload();
        browser.waitFor("the gallery's image", () -> !page.galleryFigure(id).findElements(By.tagName("img")).isEmpty());
        browser.js(RECORD_DOWNLOADS);

        UploadPage.button(page.galleryFigure(id), "Download").click();

        assertThat(browser.js("return window.downloads")).as("downloads started")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().asString().matches("to-download\\.thumbnail\\.(webp|png|jpg)");
    }

    @Test
    void a_long_name_is_cut_to_one_line_in_the_caption_and_given_whole_in_its_title() {
        String name = "a-very-long-name-of-a-photo-taken-on-a-summer-evening-by-the-harbour-wall-at-low-tide.png";
        String id = inTheGalleryAfterAReload(name);

        WebElement caption = page.galleryFigure(id).findElement(By.tagName("figcaption"));
        double lines = ((Number) browser.js("var style = getComputedStyle(arguments[0]);"
                + "return arguments[0].getBoundingClientRect().height / parseFloat(style.lineHeight)", caption))
                .doubleValue();

        assertThat(lines).as("lines of the caption (the name, then the sizes)").isLessThan(2.5);
        assertThat(caption.findElement(By.cssSelector("[title]")).getAttribute("title")).as("the name in full")
                .isEqualTo(name);
    }

    /** A done job made through the API from a small PNG named {@code name}; its id. */
    /** A job made through the API, shown in the gallery of the page loaded again; returns its id. */
    private String inTheGalleryAfterAReload(String name) {
        String id = madeThroughTheApi(name);
        page.reload();
        browser.waitFor("the gallery to show the thumbnail", () -> page.galleryIds().contains(id));
        return id;
    }

    private String madeThroughTheApi(String name) {
        var response = server.postMultipart("/api/v1/thumbnails?wait=30", Map.of("width", "50"),
                new TestServer.FilePart(name, "image/png", TestImages.gradient(120, 80, "png")));
        assertThat(response.statusCode()).as("the job finished within the wait: %s", response.body()).isEqualTo(200);
        return json(response).get("id").asText();
    }
}
