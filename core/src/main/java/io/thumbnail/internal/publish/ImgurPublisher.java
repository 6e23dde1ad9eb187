package io.thumbnail.internal.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Publication;
import io.thumbnail.Publisher;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Uploads finished thumbnails to Imgur anonymously: {@code POST {baseUrl}/3/image} with
 * {@code Authorization: Client-ID …} and a {@code multipart/form-data} body holding the bytes in the field
 * {@code image} and {@code type=file}, as Imgur's API documents. Imgur answers
 * {@code {"data":{"link":…,"deletehash":…},"success":true,"status":200}}.
 *
 * <p>429 and 5xx answers and connection failures are retried up to {@link ImgurSettings#maxAttempts()} times. The wait
 * honours, in order: {@code Retry-After}; {@code X-RateLimit-UserReset} (epoch seconds) when
 * {@code X-RateLimit-UserRemaining} is 0; {@code X-Post-Rate-Limit-Reset} (seconds) when
 * {@code X-Post-Rate-Limit-Remaining} is 0; otherwise 1 s, 2 s, 4 s… A wait longer than
 * {@link ImgurSettings#maxWait()}, or {@code X-RateLimit-ClientRemaining: 0} (the application's daily credits are
 * spent), fails at once. Every failure is {@link ErrorCode#PUBLISH_FAILED} with a message naming the cause.
 */
public final class ImgurPublisher implements Publisher {
    private static final Logger log = LoggerFactory.getLogger(ImgurPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImgurSettings settings;
    private final HttpClient client;
    private final Clock clock;
    private final Sleeper sleeper;
    private final URI endpoint;

    public ImgurPublisher(ImgurSettings settings, Clock clock, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/3/image");
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String target() {
        return Publication.IMGUR;
    }

    /** Uploads {@code image} and returns its public link and deletehash; throws {@link ErrorCode#PUBLISH_FAILED}. */
    @Override
    public Publication publish(byte[] image, ImageFormat format) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(format, "format");
        String boundary = "thumbnail-" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.requestTimeout())
                .header("Authorization", "Client-ID " + settings.clientId())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, image, format)))
                .build();
        for (int attempt = 1; ; attempt++) {
            Outcome outcome = attempt(request);
            if (outcome.published != null) {
                return outcome.published;
            }
            if (!outcome.retryable || attempt >= settings.maxAttempts()) {
                throw failed(outcome.problem + (outcome.retryable ? " (gave up after " + attempt + " attempts)" : ""));
            }
            Duration wait = outcome.delay != null ? outcome.delay : Duration.ofSeconds(1L << (attempt - 1));
            if (wait.compareTo(settings.maxWait()) > 0) {
                throw failed(outcome.problem + "; Imgur asks to wait " + wait.toSeconds() + " s, longer than the "
                        + settings.maxWait().toSeconds() + " s this service waits; publish again later");
            }
            log.info("Imgur upload attempt {} failed ({}); retrying in {} ms", attempt, outcome.problem, wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed("interrupted while waiting to retry the Imgur upload");
            }
        }
    }

    /** The result of one request: an upload, or a problem that may or may not be worth retrying. */
    private record Outcome(Publication published, String problem, boolean retryable, Duration delay) {
        static Outcome retry(String problem, Duration wait) {
            return new Outcome(null, problem, true, wait);
        }

        static Outcome fail(String problem) {
            return new Outcome(null, problem, false, null);
        }
    }

    private Outcome attempt(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Outcome.retry("could not reach Imgur at " + endpoint + ": " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while uploading to Imgur");
        }
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        if (status == 200) {
            return parse(response.body());
        }
        String problem = "Imgur answered HTTP " + status + errorText(response.body());
        if (status == 429 && headers.firstValueAsLong("X-RateLimit-ClientRemaining").orElse(-1) == 0) {
            return Outcome.fail(problem + "; the application's daily Imgur credits are spent");
        }
        if (status == 429 || status >= 500) {
            return Outcome.retry(problem, waitFrom(headers).orElse(null));
        }
        return Outcome.fail(problem);
    }

    private Optional<Duration> waitFrom(HttpHeaders headers) {
        Optional<String> retryAfter = headers.firstValue("Retry-After");
        if (retryAfter.isPresent()) {
            Optional<Duration> parsed = retryAfter(retryAfter.get().trim());
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        OptionalLong userReset = headers.firstValueAsLong("X-RateLimit-UserReset");
        if (headers.firstValueAsLong("X-RateLimit-UserRemaining").orElse(-1) == 0 && userReset.isPresent()) {
            return Optional.of(until(Instant.ofEpochSecond(userReset.getAsLong())));
        }
        OptionalLong postReset = headers.firstValueAsLong("X-Post-Rate-Limit-Reset");
        if (headers.firstValueAsLong("X-Post-Rate-Limit-Remaining").orElse(-1) == 0 && postReset.isPresent()) {
            return Optional.of(Duration.ofSeconds(Math.max(0, postReset.getAsLong())));
        }
        return Optional.empty();
    }

    private Optional<Duration> retryAfter(String value) {
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty() && value.length() < 10) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            return Optional.of(until(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Duration until(Instant instant) {
        Duration wait = Duration.between(clock.instant(), instant);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static Outcome parse(String body) {
        try {
            JsonNode data = JSON.readTree(body).path("data");
            String link = data.path("link").asText(null);
            String deletehash = data.path("deletehash").asText(null);
            if (link == null || link.isBlank() || deletehash == null || deletehash.isBlank()) {
                return Outcome.fail("Imgur's answer has no data.link or data.deletehash");
            }
            return new Outcome(Publication.published(Publication.IMGUR, link, deletehash), null, false, null);
        } catch (IOException e) {
            return Outcome.fail("Imgur's answer is not JSON");
        }
    }

    /** Imgur's own words, from {@code {"data":{"error":…}}}, where it gives them. */
    private static String errorText(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("data").path("error");
            String text = error.isTextual() ? error.asText() : error.path("message").asText("");
            return text.isBlank() ? "" : ": " + text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static byte[] multipart(String boundary, byte[] image, ImageFormat format) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(image.length + 512);
        String imagePart = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"image\"; filename=\"thumbnail." + format.extension() + "\"\r\n"
                + "Content-Type: " + format.mimeType() + "\r\n\r\n";
        body.writeBytes(imagePart.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(image);
        String typePart = "\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"type\"\r\n\r\n"
                + "file\r\n"
                + "--" + boundary + "--\r\n";
        body.writeBytes(typePart.getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static ThumbnailException failed(String message) {
        return new ThumbnailException(ErrorCode.PUBLISH_FAILED, "publishing to Imgur failed: " + message);
    }
}
