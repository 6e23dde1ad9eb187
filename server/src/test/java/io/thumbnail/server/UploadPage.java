package io.thumbnail.server;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The web page at {@code /} as a test sees it: its form, the items it made and the gallery, found by id. */
final class UploadPage {
    /** Wraps fetch and XMLHttpRequest to note "url Authorization" (or "url none") for every request. */
    private static final String RECORD_REQUESTS = "window.seen = [];"
            + "var fetched = window.fetch;"
            + "window.fetch = function (url, init) {"
            + "  window.seen.push(url + ' ' + ((init && init.headers && init.headers.Authorization) || 'none'));"
            + "  return fetched.apply(this, arguments); };"
            + "var open = XMLHttpRequest.prototype.open, set = XMLHttpRequest.prototype.setRequestHeader;"
            + "var send = XMLHttpRequest.prototype.send;"
            + "XMLHttpRequest.prototype.open = function (m, url) { this.url = url; this.auth = 'none';"
            + "  return open.apply(this, arguments); };"
            + "XMLHttpRequest.prototype.setRequestHeader = function (h, v) {"
            + "  if (h === 'Authorization') { this.auth = v; } return set.apply(this, arguments); };"
            + "XMLHttpRequest.prototype.send = function () { window.seen.push(this.url + ' ' + this.auth);"
            + "  return send.apply(this, arguments); };";

    /** Drops a file made from base64 bytes on the drop zone, as a drag from the desktop would. */
    private static final String DROP = "var bytes = Uint8Array.from(atob(arguments[1]), function (c) { return c.charCodeAt(0); });"
            + "var transfer = new DataTransfer();"
            + "transfer.items.add(new File([bytes], arguments[0], {type: arguments[2]}));"
            + "document.getElementById('dropzone').dispatchEvent("
            + "  new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));";

    private final HeadlessChromium browser;

    UploadPage(HeadlessChromium browser) {
        this.browser = browser;
    }

    /** Loads the page and waits for its first status line from /health. */
    void open(String url) {
        browser.driver.get(url);
        waitForStatusLine();
    }

    void reload() {
        browser.driver.navigate().refresh();
        waitForStatusLine();
    }

    private void waitForStatusLine() {
        browser.waitFor("the status line from /health", () -> text("status").contains("workers"));
    }

    void upload(Path... files) {
        find("files").sendKeys(String.join("\n", Arrays.stream(files).map(p -> p.toAbsolutePath().toString()).toList()));
        submit();
    }

    void pasteUrl(String url) {
        find("urls").sendKeys(url);
        submit();
    }

    /** Types {@code lines} into the URL box, one a line, without sending the form. */
    void typeUrls(String... lines) {
        find("urls").sendKeys(String.join("\n", lines));
    }

    void drop(String name, String type, byte[] bytes) {
        browser.js(DROP, name, Base64.getEncoder().encodeToString(bytes), type);
    }

    void submit() {
        find("submit").click();
    }

    void enterApiKey(String key) {
        browser.driver.findElement(By.cssSelector("details.key summary")).click();
        find("api-key").sendKeys(key, Keys.TAB);
    }

    boolean apiKeySectionOpen() {
        return browser.driver.findElement(By.cssSelector("details.key")).getAttribute("open") != null;
    }

    void forgetApiKey() {
        browser.js("window.sessionStorage.clear()");
    }

    /** Waits until the item named {@code name} is {@code status}, or failed (then says why). */
    WebElement waitForItem(String name, String status) {
        browser.waitFor(name + " to be " + status, () -> browser.driver.findElements(itemNamed(name)).stream()
                .map(e -> e.getAttribute("data-status"))
                .anyMatch(s -> status.equals(s) || "failed".equals(s)));
        WebElement item = browser.driver.findElement(itemNamed(name));
        assertThat(item.getAttribute("data-status")).as(name + " status (error: " + errorOf(item) + ")").isEqualTo(status);
        return item;
    }

    /** Waits until the item's thumbnail has loaded (successfully or not); see {@link #naturalWidth}. */
    WebElement waitForThumbnail(WebElement item) {
        browser.waitFor("the thumbnail to load", () -> item.findElements(By.tagName("img")).stream()
                .anyMatch(img -> Boolean.TRUE.equals(browser.js("return arguments[0].complete", img))));
        return item.findElement(By.tagName("img"));
    }

    /** The names of the session's items, top to bottom. */
    @SuppressWarnings("unchecked")
    List<String> itemNames() {
        return (List<String>) browser.js("return Array.from(document.querySelectorAll('#items > li .name'), p => p.textContent)");
    }

    /** The gallery's figure of the job {@code id}, with its caption and buttons. */
    WebElement galleryFigure(String id) {
        return browser.driver.findElement(By.cssSelector("#gallery li[data-id='" + id + "']"));
    }

    boolean hasItem(String name) {
        return !browser.driver.findElements(itemNamed(name)).isEmpty();
    }

    WebElement item(String name) {
        return browser.driver.findElement(itemNamed(name));
    }

    static String errorOf(WebElement item) {
        return item.findElements(By.cssSelector(".error")).stream().map(WebElement::getText).findFirst().orElse("");
    }

    static WebElement button(WebElement item, String label) {
        return item.findElement(By.xpath(".//button[text()='" + label + "']"));
    }

    /**
     * Presses the Delete of an item or a gallery figure, then, once it takes a second press, the Confirm it
     * turns into.
     */
    void delete(WebElement item) {
        button(item, "Delete").click();
        WebElement confirm = button(item, "Confirm");
        browser.waitFor("Confirm to take a press", () -> "ready".equals(confirm.getAttribute("data-confirm")));
        confirm.click();
    }

    long naturalWidth(WebElement img) {
        return (Long) browser.js("return arguments[0].naturalWidth", img);
    }

    /** The gallery's job ids, read in one script so a re-render cannot leave a stale element half-way. */
    @SuppressWarnings("unchecked")
    List<String> galleryIds() {
        return (List<String>) browser.js("return Array.from(document.querySelectorAll('#gallery li'), li => li.dataset.id)");
    }

    @SuppressWarnings("unchecked")
    List<String> formatChoices() {
        return (List<String>) browser.js("return Array.from(document.querySelectorAll('#format option'), o => o.value)");
    }

    /** Picks {@code value} in the select with this id, as a person would. */
    void choose(String id, String value) {
        new org.openqa.selenium.support.ui.Select(find(id)).selectByValue(value);
    }

    /** The name the page's Download button gives a thumbnail of {@code type}. */
    String downloadName(com.fasterxml.jackson.databind.JsonNode job, String type) {
        return (String) browser.js("return import('/assets/dom.js').then(m => m.downloadName(JSON.parse(arguments[0]),"
                + " arguments[1]))", job.toString(), type);
    }

    void recordRequests() {
        browser.js(RECORD_REQUESTS);
    }

    @SuppressWarnings("unchecked")
    List<String> recordedRequests() {
        return (List<String>) browser.js("return window.seen.slice()");
    }

    String text(String id) {
        return find(id).getText();
    }

    WebElement find(String id) {
        return browser.driver.findElement(By.id(id));
    }

    private static By itemNamed(String name) {
        return By.xpath("//ul[@id='items']/li[.//p[@class='name' and text()='" + name + "']]");
    }
}
