package io.thumbnail.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls the load generator makes, over one JDK {@link HttpClient} (HTTP/1.1, kept-alive connections):
 * an upload of one photo (multipart, or the raw image with its options in the query) with a square box, and the job's
 * status, plain or long-polled.
 */
final class ThumbnailApi {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
    private static final Pattern RETRY_AFTER = Pattern.compile("\\d+");

    /** One answer: HTTP status, the job's id and state when the body is a job, and Retry-After in seconds. */
    record Answer(int httpStatus, String jobId, String jobStatus, long retryAfterSeconds) {
        boolean finished() {
            return "done".equals(jobStatus) || "failed".equals(jobStatus);
        }
    }

    /** How long an upload asks to be kept waiting for its job to finish; 0: answered at once (202). */
    static final int UPLOAD_WAIT_SECONDS = 30;

    private final HttpClient client;
    private final Function<String, URI> uris;
    private final boolean waitInUpload;
    private final boolean raw;

    ThumbnailApi(HttpClient client, Function<String, URI> uris) {
        this(client, uris, false, false);
    }

    /**
     * {@code waitInUpload}: uploads ask {@code wait}, so a job done in time needs no second request; {@code raw}:
     * uploads send the image itself as the body ({@code Content-Type: image/jpeg}), not a multipart form.
     */
    ThumbnailApi(HttpClient client, Function<String, URI> uris, boolean waitInUpload, boolean raw) {
        this.client = client;
        this.uris = uris;
        this.waitInUpload = waitInUpload;
        this.raw = raw;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * POST /api/v1/thumbnails: a square box of {@code side} px, JPEG {@code quality} and the image, whose bytes are
     * {@code start} then {@code rest} (sent as they are, see {@link BufferPublisher}).
     */
    Answer upload(byte[] start, List<ByteBuffer> rest, String filename, int side, int quality)
            throws IOException, InterruptedException {
        return raw ? uploadRaw(start, rest, filename, side, quality) : uploadForm(start, rest, filename, side, quality);
    }

    private Answer uploadRaw(byte[] start, List<ByteBuffer> rest, String filename, int side, int quality)
            throws IOException, InterruptedException {
        List<ByteBuffer> parts = new ArrayList<>(rest.size() + 1);
        parts.add(ByteBuffer.wrap(start));
        parts.addAll(rest);
        BufferPublisher body = new BufferPublisher(parts);
        String query = "?width=" + side + "&height=" + side + "&quality=" + quality + "&filename="
                + URLEncoder.encode(filename, StandardCharsets.UTF_8)
                + (waitInUpload ? "&wait=" + UPLOAD_WAIT_SECONDS : "");
        HttpRequest request = HttpRequest.newBuilder(uris.apply("/api/v1/thumbnails" + query))
                .timeout(Duration.ofSeconds(60 + (waitInUpload ? UPLOAD_WAIT_SECONDS : 0)))
                .header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.fromPublisher(body, body.length()))
                .build();
        return send(request);
    }

    /** The same as a multipart/form-data form: the options as fields, then the {@code file} part. */
    private Answer uploadForm(byte[] start, List<ByteBuffer> rest, String filename, int side, int quality)
            throws IOException, InterruptedException {
        String boundary = "bench-" + UUID.randomUUID();
        String head = field(boundary, "width", String.valueOf(side)) + field(boundary, "height", String.valueOf(side))
                + field(boundary, "quality", String.valueOf(quality))
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        List<ByteBuffer> parts = new ArrayList<>(rest.size() + 3);
        parts.add(ByteBuffer.wrap(head.getBytes(StandardCharsets.UTF_8)));
        parts.add(ByteBuffer.wrap(start));
        parts.addAll(rest);
        parts.add(ByteBuffer.wrap(tail.getBytes(StandardCharsets.UTF_8)));
        BufferPublisher body = new BufferPublisher(parts);
        String query = waitInUpload ? "?wait=" + UPLOAD_WAIT_SECONDS : "";
        HttpRequest request = HttpRequest.newBuilder(uris.apply("/api/v1/thumbnails" + query))
                .timeout(Duration.ofSeconds(60 + (waitInUpload ? UPLOAD_WAIT_SECONDS : 0)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(body, body.length()))
                .build();
        return send(request);
    }

    private static String field(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    /** GET /api/v1/thumbnails/{id}, long-polling up to {@code waitSeconds} when it is more than 0. */
    Answer job(String id, int waitSeconds) throws IOException, InterruptedException {
        String query = waitSeconds > 0 ? "?wait=" + waitSeconds : "";
        HttpRequest request = HttpRequest.newBuilder(uris.apply("/api/v1/thumbnails/" + id + query))
                .timeout(Duration.ofSeconds(waitSeconds + 30L)).GET().build();
        return send(request);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        long retryAfter = response.headers().firstValue("Retry-After")
                .filter(v -> RETRY_AFTER.matcher(v).matches()).map(Long::parseLong).orElse(1L);
        return new Answer(response.statusCode(), first(ID, body), first(STATUS, body), retryAfter);
    }

    private static String first(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
