package io.thumbnail.server;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven through the system chromedriver. Both paths are given explicitly, so Selenium
 * Manager never looks for, or downloads, a driver or a browser.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * Installed before any page script runs: notes script errors, unhandled promise rejections and
     * Content-Security-Policy violations in {@code window.problems}.
     */
    private static final String RECORD_PROBLEMS = "window.problems = [];"
            + "addEventListener('error', function (e) { problems.push('error: ' + e.message); });"
            + "addEventListener('unhandledrejection', function (e) { problems.push('unhandled: ' + e.reason); });"
            + "document.addEventListener('securitypolicyviolation', function (e) {"
            + "  problems.push('blocked by ' + e.violatedDirective + ': ' + e.blockedURI); });";

    private final ChromeDriverService service;
    final ChromeDriver driver;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Why browser tests are skipped here, shown with each skipped test. */
    static final String MISSING = "skipped: no " + CHROMEDRIVER + " (apt-get install chromium chromium-driver to run it)";

    /**
     * Whether the browser and its driver are installed. When they are not and {@code THUMBNAIL_REQUIRE_BROWSER=1}
     * (as in CI) this fails, so a missing browser cannot pass unnoticed there; elsewhere the tests are skipped.
     */
    static boolean isInstalled() {
        boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!present && "1".equals(System.getenv("THUMBNAIL_REQUIRE_BROWSER"))) {
            fail("THUMBNAIL_REQUIRE_BROWSER=1 but " + CHROMEDRIVER + " or " + CHROMIUM
                    + " is missing: apt-get install chromium chromium-driver");
        }
        return present;
    }

    /** Starts the browser with a fresh profile in {@code profileDir}. */
    static HeadlessChromium start(Path profileDir) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_PROBLEMS));
            return new HeadlessChromium(service, driver);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /** Sizes the window so the page itself (not the window around it) gets {@code size}. */
    void viewport(Dimension size) {
        driver.manage().window().setSize(size);
        long extraWidth = (Long) js("return window.outerWidth - window.innerWidth");
        long extraHeight = (Long) js("return window.outerHeight - window.innerHeight");
        driver.manage().window().setSize(new Dimension(size.width + (int) extraWidth, size.height + (int) extraHeight));
    }

    /** A phone's screen; a desktop window cannot be made that narrow. */
    void emulateScreen(Dimension size) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size.width,
                "height", size.height, "deviceScaleFactor", 1, "mobile", true));
    }

    void stopEmulatingScreen() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** What the page reported since it loaded: script errors, unhandled rejections, policy violations. */
    @SuppressWarnings("unchecked")
    List<String> problems() {
        return (List<String>) js("return window.problems.slice()");
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits, at most a minute, for {@code condition}; the timeout's message says what was awaited. */
    void waitFor(String what, BooleanSupplier condition) {
        waitFor(what, PATIENCE, condition);
    }

    /** Waits, at most {@code patience}, for {@code condition}; the timeout's message says what was awaited. */
    void waitFor(String what, Duration patience, BooleanSupplier condition) {
        new WebDriverWait(driver, patience).withMessage(what).until(d -> condition.getAsBoolean());
    }

    /** Saves what the window shows as target/screenshots/web-page-NAME.png, scrolled to {@code subject} if given. */
    void screenshot(String name, WebElement subject) {
        if (subject != null) {
            js("arguments[0].scrollIntoView({block: 'center'})", subject);
        } else {
            // The whole page from its top: a click lower down may have scrolled it.
            js("window.scrollTo(0, 0)");
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve("web-page-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
