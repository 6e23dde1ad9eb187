package io.thumbnail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What {@link ThumbnailServiceBuilder#build()} refuses: a bad option, named as the builder spells it, with what was
 * wrong and what is allowed, before anything is opened or created.
 */
class ThumbnailServiceBuilderTest {
    @TempDir
    Path dir;

    /** The message {@code build()} refuses {@code bad} with, once it is known that nothing was opened. */
    private String refusal(UnaryOperator<ThumbnailServiceBuilder> bad) {
        Path dataDir = dir.resolve("data");
        Throwable thrown = catchThrowable(() -> bad.apply(ThumbnailService.builder().dataDir(dataDir)
                .hooks(h -> h.withStartWorkers(false))).build().close());
        assertThat(thrown).as("refused").isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class);
        assertThat(dataDir).as("the data directory, never created for a refused build").doesNotExist();
        return thrown.getMessage();
    }

    @Test
    void a_count_out_of_range_is_refused_with_its_bounds() {
        assertThat(refusal(b -> b.workers(0))).isEqualTo("workers must be between 1 and "
                + ServiceDefaults.MAX_WORKERS + " (was 0)");
        assertThat(refusal(b -> b.workerNice(ServiceDefaults.MAX_WORKER_NICE + 1)))
                .isEqualTo("workerNice must be between 0 and " + ServiceDefaults.MAX_WORKER_NICE + " (was "
                        + (ServiceDefaults.MAX_WORKER_NICE + 1) + ")");
        assertThat(refusal(b -> b.maxAttempts(0))).isEqualTo("maxAttempts must be between 1 and "
                + ServiceDefaults.MAX_MAX_ATTEMPTS + " (was 0)");
        assertThat(refusal(b -> b.queueCapacity(0))).isEqualTo("queueCapacity must be at least 1 (was 0)");
        assertThat(refusal(b -> b.maxQueuedPerOwner(0))).isEqualTo("maxQueuedPerOwner must be at least 1 (was 0)");
    }

    @Test
    void an_owners_share_larger_than_the_queue_is_refused() {
        assertThat(refusal(b -> b.queueCapacity(5).maxQueuedPerOwner(6))).isEqualTo("maxQueuedPerOwner must not be"
                + " more than queueCapacity (maxQueuedPerOwner 6, queueCapacity 5)");
    }

    @Test
    void a_duration_that_is_not_positive_is_refused_naming_the_option() {
        assertThat(refusal(b -> b.retryBackoff(Duration.ZERO))).isEqualTo("retryBackoff must be positive, at most 36500 days"
                + " (was PT0S)");
        assertThat(refusal(b -> b.lease(Duration.ofSeconds(-1)))).isEqualTo("lease must be positive, at most 36500 days"
                + " (was PT-1S)");
        assertThat(refusal(b -> b.ttl(Duration.ZERO))).isEqualTo("ttl must be positive, at most 36500 days (was PT0S)");
        assertThat(refusal(b -> b.quarantineGrace(Duration.ZERO))).startsWith("quarantineGrace must be positive");
        assertThat(refusal(b -> b.janitorInterval(Duration.ZERO))).startsWith("janitorInterval must be positive");
        assertThat(refusal(b -> b.priorityAging(Duration.ZERO))).startsWith("priorityAging must be positive");
        assertThat(refusal(b -> b.jobTimeout(Duration.ZERO))).startsWith("jobTimeout must be positive");
        assertThat(refusal(b -> b.webhookMaxAge(Duration.ZERO))).startsWith("webhookMaxAge must be positive");
        assertThat(refusal(b -> b.hooks(h -> h.withIdleWait(Duration.ZERO)))).startsWith("idleWait must be positive");
    }

    @Test
    void a_duration_past_a_hundred_years_is_refused_naming_the_option_and_the_most_allowed() {
        Duration forever = ChronoUnit.FOREVER.getDuration();

        assertThat(refusal(b -> b.janitorInterval(forever))).isEqualTo("janitorInterval must be at most 36500 days"
                + " (was " + forever + ")");
        assertThat(refusal(b -> b.shutdownTimeout(forever))).startsWith("shutdownTimeout must be between zero and"
                + " 36500 days");
        assertThat(refusal(b -> b.retryBackoff(forever))).startsWith("retryBackoff must be at most 36500 days");
        assertThat(refusal(b -> b.lease(forever))).startsWith("lease must be at most 36500 days");
        assertThat(refusal(b -> b.priorityAging(forever))).startsWith("priorityAging must be at most 36500 days");
        assertThat(refusal(b -> b.jobTimeout(forever))).startsWith("jobTimeout must be at most 36500 days");
        assertThat(refusal(b -> b.ttl(forever))).startsWith("ttl must be at most 36500 days");
        assertThat(refusal(b -> b.fetchTimeouts(Duration.ofSeconds(1), forever)))
                .startsWith("fetchTimeouts must be at most 36500 days");
    }

    @Test
    void a_negative_shutdown_timeout_is_refused() {
        assertThat(refusal(b -> b.shutdownTimeout(Duration.ofSeconds(-1))))
                .isEqualTo("shutdownTimeout must be between zero and 36500 days (was PT-1S)");
    }

    @Test
    void a_heartbeat_not_shorter_than_the_lease_is_refused() {
        assertThat(refusal(b -> b.lease(Duration.ofSeconds(5)).heartbeat(Duration.ofSeconds(5))))
                .isEqualTo("heartbeat must be shorter than lease (heartbeat PT5S, lease PT5S)");
    }

    @Test
    void a_missing_value_is_refused_naming_the_option() {
        assertThat(refusal(b -> b.dataDir(null))).isEqualTo("dataDir must not be null");
        assertThat(refusal(b -> b.limits(null))).isEqualTo("limits must not be null");
        assertThat(refusal(b -> b.clock(null))).isEqualTo("clock must not be null");
        assertThat(refusal(b -> b.heartbeat(null))).isEqualTo("heartbeat must not be null");
        assertThat(refusal(b -> b.sourceAllowlist(null))).isEqualTo("sourceAllowlist must not be null");
        assertThat(refusal(b -> b.publisher(null))).isEqualTo("publisher must not be null");
        assertThat(refusal(b -> b.webhookBody(null))).isEqualTo("webhookBody must not be null");
        assertThat(refusal(b -> b.fetchTimeouts(null, null))).isEqualTo("fetchTimeouts: connect must not be null");
        assertThat(refusal(b -> b.imgurBaseUrl(null))).isEqualTo("imgurBaseUrl must not be null");
    }

    @Test
    void a_value_refused_by_the_part_it_configures_is_refused_under_the_options_name() {
        assertThat(refusal(b -> b.webhookSecret("too-short")))
                .isEqualTo("webhookSecret: the webhook secret must be at least 16 characters long (was 9)");
        assertThat(refusal(b -> b.imgurClientId("has spaces")))
                .isEqualTo("imgurClientId: clientId must be a non-blank Imgur Client-ID without spaces");
        assertThat(refusal(b -> b.imgurBaseUrl(URI.create("ftp://imgur.example"))))
                .startsWith("imgurBaseUrl: baseUrl must be an http(s) URL");
        assertThat(refusal(b -> b.sourceAllowlist(Set.of("example.com/images"))))
                .startsWith("sourceAllowlist: entries must be host names such as example.com");
        assertThat(refusal(b -> b.fetchTimeouts(Duration.ZERO, Duration.ofSeconds(30))))
                .isEqualTo("fetchTimeouts: connectTimeout must be positive (was PT0S)");
    }

    @Test
    void text_to_parse_is_refused_when_it_is_set() {
        ThumbnailServiceBuilder builder = ThumbnailService.builder();

        assertThatThrownBy(() -> builder.database("jdbc:mysql://127.0.0.1/thumbs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("database must be a PostgreSQL JDBC URL such as jdbc:postgresql://");
        assertThatThrownBy(() -> builder.nodeId("two words")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodeId must be 1 to 64 letters, digits");
    }

    @Test
    void a_database_url_with_a_password_before_the_host_is_refused_without_printing_it() {
        String url = "jdbc:postgresql://thumbs:s3cret@127.0.0.1:5432/x";

        assertThatThrownBy(() -> ThumbnailService.builder().database(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("database takes its user and password as parameters, not before the host:"
                        + " jdbc:postgresql://127.0.0.1:5432/thumbs?user=thumbs&password=... (was"
                        + " 'jdbc:postgresql://thumbs:***@127.0.0.1:5432/x')");
    }

    @Test
    void a_database_url_with_an_at_sign_in_its_parameters_is_taken() {
        assertThat(ThumbnailService.builder().database("jdbc:postgresql://127.0.0.1:5432/x?user=a&password=p@ss"))
                .as("the builder").isNotNull();
    }
}
