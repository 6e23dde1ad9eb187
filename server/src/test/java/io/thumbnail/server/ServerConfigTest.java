package io.thumbnail.server;

import io.thumbnail.Limits;
import io.thumbnail.ServiceDefaults;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    @Test
    void defaults_serve_port_8080_with_data_in_data() {
        ServerConfig config = ServerConfig.defaults();

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.maxUploadBytes()).as("50 MiB").isEqualTo(50L * 1024 * 1024);
        assertThat(config.ttl()).as("jobs are kept forever by default").isNull();
        assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void flags_accept_separate_and_equals_forms() {
        ServerConfig config = ServerConfig.parse(
                List.of("--port", "9000", "--data-dir=/tmp/thumbs", "--workers", "3", "--ttl", "7d"), Map.of());

        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/thumbs"));
        assertThat(config.workers()).isEqualTo(3);
        assertThat(config.ttl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void environment_variables_have_the_flag_names_and_flags_win_over_them() {
        Map<String, String> env = Map.of("THUMBNAIL_PORT", "7000", "THUMBNAIL_MAX_UPLOAD_BYTES", "2M",
                "THUMBNAIL_QUEUE_CAPACITY", "5");

        ServerConfig fromEnv = ServerConfig.parse(List.of(), env);
        ServerConfig flagWins = ServerConfig.parse(List.of("--port", "7001"), env);

        assertThat(fromEnv.port()).isEqualTo(7000);
        assertThat(fromEnv.maxUploadBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(fromEnv.queueCapacity()).isEqualTo(5);
        assertThat(flagWins.port()).as("a flag overrides its environment variable").isEqualTo(7001);
    }

    @Test
    void sizes_take_binary_suffixes() {
        assertThat(ServerConfig.parse(List.of("--max-upload-bytes", "512K"), Map.of()).maxUploadBytes()).isEqualTo(512 * 1024);
        assertThat(ServerConfig.parse(List.of("--max-upload-bytes", "1GiB"), Map.of()).maxUploadBytes()).isEqualTo(1L << 30);
        assertThat(ServerConfig.parse(List.of("--max-upload-bytes", "1000"), Map.of()).maxUploadBytes()).isEqualTo(1000);
    }

    @Test
    void a_bad_port_names_the_flag_and_the_allowed_range() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--port", "http"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port must be a whole number between 0 and 65535 (was 'http')");
    }

    @Test
    void a_bad_environment_value_is_reported_under_its_flag_name_and_its_variable() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of(), Map.of("THUMBNAIL_WORKERS", "0")))
                .hasMessageStartingWith("--workers (THUMBNAIL_WORKERS) must be a whole number between 1 and");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--workers", "0"), Map.of("THUMBNAIL_WORKERS", "2")))
                .as("a flag's value, given over its variable's")
                .hasMessageStartingWith("--workers must be a whole number between 1 and");
    }

    @Test
    void bad_sizes_and_durations_name_their_flag() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-upload-bytes", "lots"), Map.of()))
                .hasMessageStartingWith("--max-upload-bytes must be a positive byte count");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--ttl", "soon"), Map.of()))
                .hasMessageStartingWith("--ttl must be a positive duration");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--ttl", ""), Map.of()))
                .hasMessageStartingWith("--ttl must be a positive duration");
    }

    @Test
    void a_duration_past_ten_years_is_refused_naming_its_flag_before_it_can_overflow() {
        for (String value : List.of("3651d", "99999999999999d", "9999999999999h", "PT999999999999999H")) {
            assertThatThrownBy(() -> ServerConfig.parse(List.of("--priority-aging", value), Map.of())).as(value)
                    .hasMessageStartingWith("--priority-aging must be a positive duration of at most 3650d");
        }
        assertThat(ServerConfig.parse(List.of("--lease", "3650d"), Map.of()).lease())
                .as("ten years").isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void a_flag_given_twice_is_refused_rather_than_the_last_one_winning() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--data-dir", "a", "--data-dir", "b"), Map.of()))
                .hasMessage("--data-dir is given more than once; give it once");
    }

    @Test
    void a_keys_share_of_the_queue_is_a_quarter_of_it_by_default_and_takes_a_number_or_a_percentage() {
        assertThat(ServerConfig.parse(List.of(), Map.of()).maxQueuedPerKey()).as("default").isEqualTo(2500);
        assertThat(ServerConfig.parse(List.of("--queue-capacity", "100", "--max-queued-per-key", "50%"), Map.of())
                .maxQueuedPerKey()).as("50% of 100").isEqualTo(50);
        assertThat(ServerConfig.parse(List.of("--queue-capacity", "3"), Map.of()).maxQueuedPerKey())
                .as("a quarter of 3, at least 1").isEqualTo(1);
        assertThat(ServerConfig.parse(List.of("--max-queued-per-key", "10000"), Map.of()).maxQueuedPerKey())
                .as("the whole queue: no share").isEqualTo(10_000);
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-queued-per-key", "10001"), Map.of()))
                .hasMessageStartingWith("--max-queued-per-key must be a whole number from 1 to 10000");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-queued-per-key", "0%"), Map.of()))
                .hasMessageContaining("percentage of it from 1% to 100%");
    }

    @Test
    void an_empty_database_beside_stored_images_is_refused_unless_the_switch_accepts_it() {
        assertThat(ServerConfig.parse(List.of(), Map.of()).acceptEmptyDatabase()).as("default").isFalse();
        assertThat(ServerConfig.parse(List.of("--accept-empty-database"), Map.of()).acceptEmptyDatabase())
                .as("the switch").isTrue();
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_ACCEPT_EMPTY_DATABASE", "true"))
                .acceptEmptyDatabase()).as("from the environment").isTrue();
    }

    @Test
    void the_job_time_limit_defaults_to_a_minute_and_takes_durations() {
        assertThat(ServerConfig.parse(List.of(), Map.of()).jobTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ServerConfig.parse(List.of("--job-timeout", "5m"), Map.of()).jobTimeout())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_JOB_TIMEOUT", "90s")).jobTimeout())
                .as("from the environment").isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void the_lease_takes_durations_and_cannot_be_turned_off() {
        assertThat(ServerConfig.parse(List.of("--lease", "6s"), Map.of()).lease()).isEqualTo(Duration.ofSeconds(6));
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_LEASE", "2m")).lease()).as("from the environment")
                .isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--lease", "off"), Map.of()))
                .hasMessageStartingWith("--lease must be a positive duration");
    }

    @Test
    void the_job_time_limit_cannot_be_turned_off() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--job-timeout", "off"), Map.of()))
                .hasMessageStartingWith("--job-timeout must be a positive duration")
                .hasMessageContaining("off is not allowed");
    }

    @Test
    void unknown_flags_and_missing_values_are_refused() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--prot", "80"), Map.of()))
                .hasMessage("unknown option --prot (see --help)");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--port"), Map.of()))
                .hasMessage("--port needs a value");
    }

    @Test
    void usage_prints_every_option_with_its_variable_default_allowed_values_and_meaning() {
        String usage = ServerConfig.usage().replaceAll("\\s+", " ");

        for (ServerOption option : ServerOptions.ALL) {
            assertThat(usage).as("--help").contains("--" + option.name() + " " + option.env() + " "
                    + OptionsHelp.plain(option.help()) + " default: " + OptionsHelp.plain(option.documentedDefault())
                    + "; allowed: " + OptionsHelp.plain(option.allowed()));
        }
        assertThat(usage).as("--help").contains("--help, -h " + ServerOptions.HELP);
    }

    @Test
    void help_shows_code_plainly_and_links_by_their_target() {
        assertThat(OptionsHelp.plain("`0` leaves them alone; see [Operations](docs/operations.md#worker-priority)"))
                .isEqualTo("0 leaves them alone; see docs/operations.md#worker-priority");
    }

    @Test
    void help_lines_fit_a_terminal_100_columns_wide() {
        assertThat(ServerConfig.usage().lines()).as("lines of --help").allSatisfy(line ->
                assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
    }

    @Test
    void defaults_the_library_also_has_are_the_library_defaults() {
        ServerConfig config = ServerConfig.defaults();

        assertThat(config.dataDir()).as("--data-dir").isEqualTo(ServiceDefaults.DATA_DIR);
        assertThat(config.workers()).as("--workers").isEqualTo(ServiceDefaults.workers());
        assertThat(config.limits()).as("--max-upload-bytes, --max-pixels, --max-output-side")
                .isEqualTo(Limits.defaults());
        assertThat(config.defaultBox()).as("--default-size").isEqualTo(ThumbnailSpec.defaults());
        assertThat(config.jobTimeout()).as("--job-timeout").isEqualTo(ServiceDefaults.JOB_TIMEOUT);
        assertThat(config.lease()).as("--lease").isEqualTo(ServiceDefaults.LEASE);
        assertThat(config.queueCapacity()).as("--queue-capacity").isEqualTo(ServiceDefaults.QUEUE_CAPACITY);
        assertThat(config.maxQueuedPerKey()).as("--max-queued-per-key")
                .isEqualTo(ServiceDefaults.maxQueuedPerOwner(ServiceDefaults.QUEUE_CAPACITY));
        assertThat(config.maxAttempts()).as("--max-attempts").isEqualTo(ServiceDefaults.MAX_ATTEMPTS);
        assertThat(config.imgurBaseUrl()).as("--imgur-base-url").isEqualTo(ServiceDefaults.IMGUR_BASE_URL);
    }

    @Test
    void ranges_the_library_also_has_are_the_library_ranges() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--workers", "1025"), Map.of()))
                .hasMessage("--workers must be a whole number between 1 and " + ServiceDefaults.MAX_WORKERS
                        + " (was '1025')");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--worker-nice", "20"), Map.of()))
                .hasMessage("--worker-nice must be a whole number between 0 and " + ServiceDefaults.MAX_WORKER_NICE
                        + " (was '20')");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-attempts", "101"), Map.of()))
                .hasMessage("--max-attempts must be a whole number between 1 and " + ServiceDefaults.MAX_MAX_ATTEMPTS
                        + " (was '101')");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-output-side", "32769"), Map.of()))
                .hasMessage("--max-output-side must be a whole number between 1 and " + ThumbnailSpec.MAX_SIDE
                        + " (was '32769')");
    }

    @Test
    void the_in_flight_byte_budget_must_hold_the_largest_upload() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-inflight-bytes", "10M"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-inflight-bytes").hasMessageContaining("--max-upload-bytes");
        assertThat(ServerConfig.parse(List.of("--max-inflight-bytes", "10M", "--max-upload-bytes", "10M"), Map.of())
                .security().maxInflightBytes()).isEqualTo(10L << 20);
    }

    @Test
    void the_request_limits_default_to_the_documented_values() {
        SecurityConfig security = ServerConfig.defaults().security();

        assertThat(security.bodyTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(security.maxConnectionsPerAddress()).isEqualTo(256);
        assertThat(security.maxUploads()).isEqualTo(512);
        assertThat(security.maxUploadsPerClient()).isEqualTo(32);
        assertThat(security.maxInflightBytes()).isEqualTo(1L << 30);
    }

    @Test
    void a_database_is_a_postgresql_url_and_a_bad_one_names_the_flag_without_its_password() {
        assertThat(ServerConfig.parse(List.of(), Map.of()).database()).as("default: SQLite").isNull();
        String url = "jdbc:postgresql://127.0.0.1:5432/thumbs?user=thumbs&password=s3cret";
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_DATABASE", url)).database()).isEqualTo(url);
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--database", "postgres://db/thumbs?password=s3cret"),
                Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--database must be a PostgreSQL JDBC URL such as jdbc:postgresql://")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void a_node_id_is_letters_digits_dots_underscores_and_dashes() {
        assertThat(ServerConfig.parse(List.of("--node-id", "web-1.eu_west"), Map.of()).nodeId())
                .isEqualTo("web-1.eu_west");
        assertThat(ServerConfig.parse(List.of(), Map.of()).nodeId()).as("default: chosen at start").isNull();
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--node-id", "web 1"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--node-id must be 1 to 64 letters, digits, '.', '_' or '-' (was 'web 1')");
    }

    @Test
    void a_flag_followed_by_another_flag_is_refused_as_missing_its_value() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--node-id", "--allow-private-sources"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--node-id needs a value, not the option --allow-private-sources"
                        + " (--node-id=VALUE gives a value that starts with --)");
    }

    @Test
    void a_value_that_starts_with_two_dashes_is_given_with_an_equals_sign() {
        ServerConfig config = ServerConfig.parse(List.of("--webhook-secret=--a-secret-of-thirty-two-characters"),
                Map.of());

        assertThat(config.allowPrivateSources()).as("no switch swallowed").isFalse();
    }

    @Test
    void a_switch_takes_true_or_false_as_its_next_word() {
        assertThat(ServerConfig.parse(List.of("--allow-private-sources", "false", "--port", "1"), Map.of())
                .allowPrivateSources()).as("--allow-private-sources false").isFalse();
        assertThat(ServerConfig.parse(List.of("--allow-private-sources", "TRUE"), Map.of())
                .allowPrivateSources()).as("--allow-private-sources TRUE").isTrue();
        assertThat(ServerConfig.parse(List.of("--allow-private-sources", "--port", "1"), Map.of())
                .allowPrivateSources()).as("the flag alone").isTrue();
    }

    @Test
    void an_option_that_guards_the_api_given_empty_is_refused_rather_than_leaving_it_open() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--api-keys", ""), Map.of()))
                .hasMessage("--api-keys is empty; without it the API is open to anyone who can reach the port,"
                        + " so leave it out for that");
        assertThatThrownBy(() -> ServerConfig.parse(List.of(), Map.of("THUMBNAIL_API_KEYS_FILE", " ")))
                .hasMessageStartingWith("--api-keys-file (THUMBNAIL_API_KEYS_FILE) is empty;");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--metrics-key-sha256="), Map.of()))
                .hasMessageStartingWith("--metrics-key-sha256 is empty;");
        assertThatThrownBy(() -> ServerConfig.parse(List.of(), Map.of("THUMBNAIL_SOURCE_ALLOWLIST", "")))
                .hasMessage("--source-allowlist (THUMBNAIL_SOURCE_ALLOWLIST) is empty; without it URL sources may"
                        + " be on any public host, so leave it out for that");
    }

    @Test
    void an_option_whose_absence_opens_nothing_given_empty_means_its_default() {
        ServerConfig config = ServerConfig.parse(List.of("--node-id", ""), Map.of("THUMBNAIL_WEBHOOK_SECRET", ""));

        assertThat(config.nodeId()).as("--node-id ''").isNull();
    }

    @Test
    void zero_for_a_byte_count_with_bounds_is_refused_naming_the_bounds() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-header-bytes", "0"), Map.of()))
                .hasMessage("--max-header-bytes must be from 1K to 1M bytes (was '0')");
    }

    @Test
    void a_rate_of_zero_is_refused_saying_it_must_be_above_zero() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--rate-limit", "0"), Map.of()))
                .hasMessage("--rate-limit must be requests per second above 0 and at most 1000000, such as 50 or 0.5,"
                        + " or off (was '0')");
    }

    @Test
    void a_source_allowlist_entry_that_is_no_host_name_is_refused_naming_it() {
        for (String entry : List.of("a..b", ".example.com", "example.com.", "*.", "**.example.com", "exa mple.com")) {
            assertThatThrownBy(() -> ServerConfig.parse(List.of("--source-allowlist", "images.example," + entry),
                    Map.of())).as(entry)
                    .hasMessage("--source-allowlist takes host names such as example.com or *.example.com, separated"
                            + " by commas (was '" + entry.trim() + "')");
        }
    }

    @Test
    void a_source_allowlist_takes_names_subdomains_and_addresses() {
        String list = "Images.Example, *.cdn.example,192.0.2.7,[2001:db8::1]";

        assertThat(ServerConfig.parse(List.of("--source-allowlist", list), Map.of()).sourceAllowlist())
                .containsExactlyInAnyOrder("images.example", "*.cdn.example", "192.0.2.7", "[2001:db8::1]");
    }

    @Test
    void a_guarding_list_of_nothing_but_separators_is_refused_as_empty() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--api-keys", ","), Map.of()))
                .hasMessageStartingWith("--api-keys is empty;");
        assertThatThrownBy(() -> ServerConfig.parse(List.of(), Map.of("THUMBNAIL_API_KEYS", " ,\n, ")))
                .hasMessageStartingWith("--api-keys (THUMBNAIL_API_KEYS) is empty;");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--source-allowlist", ",,"), Map.of()))
                .hasMessageStartingWith("--source-allowlist is empty;");
    }

    @Test
    void api_keys_holding_only_comments_are_refused_as_holding_no_keys() {
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--api-keys", "# alice:abc, # bob"), Map.of()))
                .hasMessage("--api-keys holds no keys (name:sha256-of-key entries separated by commas); without it the"
                        + " API is open to anyone who can reach the port, so leave it out for that");
    }
}
