package io.thumbnail.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The upload page over plain HTTP: what it is served with, and that it needs nothing from outside the jar. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageTest {
    private static final Pattern SCRIPT_TAG = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    /** The page's ES modules; app.js imports the others. */
    private static final List<String> SCRIPTS = List.of("app.js", "api.js", "dom.js", "items.js", "gallery.js", "checks.js");

    @TempDir
    static Path dir;
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.startPaused(dir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void the_page_at_root_is_html() {
        HttpResponse<String> page = server.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Thumbnails</title>").contains("/assets/app.js").contains("/assets/app.css");
    }

    @Test
    void the_page_has_a_content_security_policy_allowing_only_its_own_origin_and_blob_images() {
        String csp = server.get("/").headers().firstValue("Content-Security-Policy").orElse("");

        assertThat(csp).as("Content-Security-Policy of /")
                .contains("default-src 'self'")
                .contains("script-src 'self'")
                .contains("img-src 'self' blob: data:")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
    }

    @Test
    void the_page_and_its_assets_forbid_content_sniffing() {
        for (String path : List.of("/", "/assets/app.js", "/assets/items.js", "/assets/app.css")) {
            assertThat(server.get(path).headers().firstValue("X-Content-Type-Options")).as("nosniff on " + path)
                    .hasValue("nosniff");
        }
    }

    @Test
    void the_scripts_and_styles_are_served_from_the_jar_with_their_types() {
        for (String script : SCRIPTS) {
            HttpResponse<String> response = server.get("/assets/" + script);
            assertThat(response.statusCode()).as(script).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(script + " type (modules need a JavaScript type)")
                    .hasValueSatisfying(t -> assertThat(t).matches("(text|application)/javascript.*"));
        }
        HttpResponse<String> styles = server.get("/assets/app.css");
        assertThat(styles.statusCode()).isEqualTo(200);
        assertThat(styles.headers().firstValue("Content-Type")).as("app.css type")
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    @Test
    void the_page_has_no_inline_script_or_style_and_loads_nothing_from_elsewhere() {
        String html = server.get("/").body();

        Matcher scripts = SCRIPT_TAG.matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).as("every <script> loads a file from this server").contains("src=\"/assets/");
        }
        assertThat(count).as("script tags").isPositive();
        assertThat(html).as("inline styles and handlers would be refused by the policy")
                .doesNotContain("<style").doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=");
        assertThat(html).as("no CDN or other origin").doesNotContain("http://").doesNotContain("//cdn");
        for (String script : SCRIPTS) {
            assertThat(server.get("/assets/" + script).body()).as(script + " talks only to this server")
                    .doesNotContain("http://").doesNotContain("https://");
        }
    }

    @Test
    void every_form_control_on_the_page_has_a_label() {
        String html = server.get("/").body();
        Matcher controls = Pattern.compile("<(input|select|textarea)\\b[^>]*\\bid=\"([^\"]+)\"").matcher(html);
        int count = 0;
        while (controls.find()) {
            count++;
            assertThat(html).as("a <label for> the " + controls.group(1) + " #" + controls.group(2))
                    .contains("<label for=\"" + controls.group(2) + "\"");
        }
        assertThat(count).as("form controls").isGreaterThanOrEqualTo(6);
        assertThat(html).as("a live region announces progress and errors").contains("aria-live=\"polite\"");
    }

    @Test
    void every_file_of_the_page_folder_is_served() throws Exception {
        Path folder = Path.of(WebPageTest.class.getResource("/public").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            for (String name : files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("index.html")).toList()) {
                assertThat(server.get("/assets/" + name).statusCode()).as("GET /assets/" + name).isEqualTo(200);
            }
        }
    }

    @Test
    void a_missing_asset_is_a_json_404() {
        HttpResponse<String> missing = server.get("/assets/nope.js");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).at("/error/code").asText()).isEqualTo("not_found");
    }
}
