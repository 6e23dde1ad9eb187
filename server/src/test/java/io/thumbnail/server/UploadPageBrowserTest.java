package io.thumbnail.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the upload page's browser tests share: one headless Chromium and one server for the class, and the page opened
 * afresh at desktop width before each test (skipped where Chromium is not installed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UploadPageBrowserTest {
    static final Dimension DESKTOP = new Dimension(1280, 900);

    @TempDir
    static Path dir;
    HeadlessChromium browser;
    TestServer server;
    UploadPage page;

    @BeforeAll
    void start() throws IOException {
        if (HeadlessChromium.isInstalled()) {
            browser = HeadlessChromium.start(Files.createDirectory(dir.resolve("chromium-profile")));
            server = TestServer.start(dir.resolve("data"));
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
        browser.viewport(DESKTOP);
        page.open(server.base + "/");
    }

    /** A 1200x800 photo-like JPEG named {@code name}, different for every name. */
    static Path photo(String name) {
        return TestImages.write(uploads(), name, TestImages.photo(1200, 800, name.hashCode()));
    }

    /** The folder the tests' files to upload are written to. */
    static Path uploads() {
        try {
            return Files.createDirectories(dir.resolve("uploads"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
