package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.ApiKeyApiTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The security flags of {@link ServerConfig}: keys, rate limits and request limits. */
class SecurityConfigTest {
    @TempDir
    Path dir;

    @Test
    void by_default_the_server_is_open_with_generous_limits() {
        SecurityConfig security = ServerConfig.defaults().security();

        assertThat(security.apiKeys().isEmpty()).as("no keys: open").isTrue();
        assertThat(security.metricsKeySha256()).isNull();
        assertThat(security.maxWaiting()).isEqualTo(32);
        assertThat(security.maxParts()).isEqualTo(1000);
        assertThat(security.maxHeaderBytes()).isEqualTo(8 * 1024);
        assertThat(security.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(security.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(security.minUploadRate()).isEqualTo(1024);
    }

    @Test
    void keys_come_from_a_file_and_the_environment_variable() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "alice:" + sha256("a") + "\n");
        ServerConfig config = ServerConfig.parse(List.of("--api-keys-file", file.toString()),
                Map.of("THUMBNAIL_API_KEYS", "bob:" + sha256("b") + "\ncarol:" + sha256("c")));

        assertThat(config.security().apiKeys().size()).isEqualTo(3);
        assertThat(config.security().apiKeys().nameOf("c")).hasValue("carol");
    }

    @Test
    void a_bad_line_in_the_keys_file_stops_startup_naming_the_file_and_line() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "# keys\nalice:" + sha256("a") + "\nbob:1234\n");

        assertThatThrownBy(() -> ServerConfig.parse(List.of("--api-keys-file", file.toString()), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--api-keys-file " + file + " line 3:");
    }

    @Test
    void a_missing_keys_file_stops_startup_with_the_systems_reason() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> ServerConfig.parse(List.of("--api-keys-file", missing.toString()), Map.of()))
                .hasMessage("--api-keys-file: cannot read '" + missing + "' (No such file or directory)");
    }

    @Test
    void a_keys_file_without_a_key_stops_startup_rather_than_run_open() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "# keys to come\n\n");

        assertThatThrownBy(() -> ServerConfig.parse(List.of("--api-keys-file", file.toString()), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--api-keys-file " + file + " holds no keys (one name:sha256-of-key a line); without the"
                        + " flag the server runs open");
    }

    @Test
    void the_metrics_key_is_a_sha256() throws Exception {
        assertThat(ServerConfig.parse(List.of("--metrics-key-sha256", sha256("m")), Map.of()).security()
                .metricsKeySha256()).hasSize(32);
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--metrics-key-sha256", "secret"), Map.of()))
                .hasMessageStartingWith("--metrics-key-sha256 must be");
    }

    @Test
    void rate_limits_take_a_rate_or_off() {
        assertThat(ServerConfig.parse(List.of("--rate-limit", "0.5"), Map.of()).security().rateLimit()).isEqualTo(0.5);
        assertThat(ServerConfig.parse(List.of("--rate-limit", "off"), Map.of()).security().rateLimit()).isZero();
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--rate-limit", "-1"), Map.of()))
                .hasMessageStartingWith("--rate-limit must be");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--rate-burst", "0"), Map.of()))
                .hasMessageStartingWith("--rate-burst must be");
        assertThat(ServerConfig.parse(List.of("--read-rate-limit", "off"), Map.of()).security().readRateLimit()).isZero();
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--read-rate-limit", "fast"), Map.of()))
                .hasMessageStartingWith("--read-rate-limit must be");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--read-rate-burst", "0"), Map.of()))
                .hasMessageStartingWith("--read-rate-burst must be");
    }

    @Test
    void by_default_submissions_are_limited_and_reads_only_far_above_a_polling_script() {
        SecurityConfig security = ServerConfig.defaults().security();

        assertThat(security.rateLimit()).as("submissions per second").isEqualTo(50);
        assertThat(security.rateBurst()).as("submissions at once").isEqualTo(500);
        assertThat(security.readRateLimit()).as("other requests per second").isEqualTo(1000);
        assertThat(security.readRateBurst()).as("other requests at once").isEqualTo(2000);
        assertThat(security.maxAuthFailures()).as("wrong keys per address per minute").isEqualTo(20);
    }

    @Test
    void max_auth_failures_takes_a_count_or_off() {
        assertThat(ServerConfig.parse(List.of("--max-auth-failures", "5"), Map.of()).security().maxAuthFailures())
                .isEqualTo(5);
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_MAX_AUTH_FAILURES", "off")).security()
                .maxAuthFailures()).isZero();
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-auth-failures", "0"), Map.of()))
                .hasMessageStartingWith("--max-auth-failures must be a whole number between 1 and");
    }

    @Test
    void request_limits_are_read_with_units() {
        SecurityConfig security = ServerConfig.parse(List.of("--max-parts", "10", "--max-header-bytes", "16K",
                "--idle-timeout", "5s", "--header-timeout", "2s", "--min-upload-rate", "off"), Map.of()).security();

        assertThat(security.maxParts()).isEqualTo(10);
        assertThat(security.maxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(security.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(security.headerTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(security.minUploadRate()).isZero();
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--idle-timeout", "off"), Map.of()))
                .hasMessageStartingWith("--idle-timeout must be a positive duration")
                .hasMessageContaining("off is not allowed");
    }

    @Test
    void header_limit_too_small_for_any_request_or_too_large_to_buffer_is_refused() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-header-bytes", "1"), Map.of()))
                .as("a limit no request line fits would answer every request 431")
                .hasMessage("--max-header-bytes must be from 1K to 1M bytes (was '1')");
        assertThatThrownBy(() -> ServerConfig.parse(List.of(), Map.of("THUMBNAIL_MAX_HEADER_BYTES", "2G")))
                .hasMessage("--max-header-bytes (THUMBNAIL_MAX_HEADER_BYTES) must be from 1K to 1M bytes (was '2G')");
        assertThat(ServerConfig.parse(List.of("--max-header-bytes", "1K"), Map.of()).security().maxHeaderBytes())
                .isEqualTo(1024);
        assertThat(ServerConfig.parse(List.of("--max-header-bytes", "1M"), Map.of()).security().maxHeaderBytes())
                .isEqualTo(1 << 20);
    }

    @Test
    void the_startup_line_says_whether_the_server_runs_open() throws Exception {
        assertThat(ThumbnailServer.accessSummary(ServerConfig.defaults().security()))
                .isEqualTo("running open: no API keys configured; anyone who can reach the port can use the API");
        assertThat(ThumbnailServer.accessSummary(ServerConfig.parse(List.of("--api-keys", "a:" + sha256("a")
                + ",b:" + sha256("b")), Map.of()).security())).isEqualTo("API keys: 2 configured");
    }
}
