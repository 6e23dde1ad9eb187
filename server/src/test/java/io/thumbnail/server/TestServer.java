package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thumbnail.ServiceTestHooks;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailServiceBuilder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A real service in a temporary directory behind a real server on a free loopback port, and a client for it. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A multipart part carrying a file; {@code filename} null sends none. */
    record FilePart(String name, String filename, String contentType, byte[] bytes) {
        /** A part named {@code file}. */
        FilePart(String filename, String contentType, byte[] bytes) {
            this("file", filename, contentType, bytes);
        }
    }

    final ThumbnailService service;
    final ThumbnailServer server;
    final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The API key later requests send as {@code Authorization: Bearer}, or null for none. */
    private volatile String apiKey;

    private TestServer(ThumbnailService service, ServerConfig config) {
        this(service, config, System::nanoTime);
    }

    private TestServer(ThumbnailService service, ServerConfig config, LongSupplier nanoTime) {
        this(service, config, nanoTime, Clock.systemUTC());
    }

    private TestServer(ThumbnailService service, ServerConfig config, LongSupplier nanoTime, Clock clock) {
        this(service, config, nanoTime, clock, ThumbnailServer.STOP_GRACE);
    }

    private TestServer(ThumbnailService service, ServerConfig config, LongSupplier nanoTime, Clock clock,
                       Duration stopGrace) {
        this(service, config, nanoTime, clock, stopGrace, 0);
    }

    private TestServer(ThumbnailService service, ServerConfig config, LongSupplier nanoTime, Clock clock,
                       Duration stopGrace, int port) {
        this.service = service;
        this.server = new ThumbnailServer(service, config, nanoTime, clock, stopGrace).start("127.0.0.1", port);
        this.base = "http://127.0.0.1:" + server.port();
    }

    /** Workers running, on {@code port}: a server started again where a client knew the one before it. */
    static TestServer startOn(int port, Path dataDir, String... flags) {
        ServerConfig config = config(dataDir, flags);
        return new TestServer(config.serviceBuilder().build(), config, System::nanoTime, Clock.systemUTC(),
                ThumbnailServer.STOP_GRACE, port);
    }

    /** Workers running; {@code flags} are server flags such as {@code --max-upload-bytes 1000}. */
    static TestServer start(Path dataDir, String... flags) {
        ServerConfig config = config(dataDir, flags);
        return new TestServer(config.serviceBuilder().build(), config);
    }

    /** Workers running, on a service builder {@code customize} changed (test hooks). */
    static TestServer start(Path dataDir, java.util.function.UnaryOperator<ThumbnailServiceBuilder> customize,
                            String... flags) {
        ServerConfig config = config(dataDir, flags);
        return new TestServer(customize.apply(config.serviceBuilder()).build(), config);
    }

    /** No workers: every job stays queued until {@link #runNextJob()}. */
    static TestServer startPaused(Path dataDir, String... flags) {
        ServerConfig config = config(dataDir, flags);
        return new TestServer(ServiceTestHooks.withoutWorkers(config.serviceBuilder()).build(), config);
    }

    /** As {@link #startPaused(Path, String...)}, the rate limiter reading time from {@code nanoTime}. */
    static TestServer startPaused(Path dataDir, LongSupplier nanoTime, String... flags) {
        ServerConfig config = config(dataDir, flags);
        return new TestServer(ServiceTestHooks.withoutWorkers(config.serviceBuilder()).build(), config, nanoTime);
    }

    /** As {@link #startPaused(Path, String...)}, signed URLs made and checked by {@code clock}. */
    static TestServer startPaused(Path dataDir, Clock clock, String... flags) {
        ServerConfig config = config(dataDir, flags);
        return new TestServer(ServiceTestHooks.withoutWorkers(config.serviceBuilder()).build(), config,
                System::nanoTime, clock);
    }

    /**
     * As {@link #startPaused(Path, String...)}, a stop waiting {@code stopGrace} (not 5 s) for the uploads still
     * arriving, then for the requests in flight.
     */
    static TestServer startPaused(Path dataDir, Duration stopGrace, String... flags) {
        ServerConfig config = config(dataDir, flags);
        return new TestServer(ServiceTestHooks.withoutWorkers(config.serviceBuilder()).build(), config,
                System::nanoTime, Clock.systemUTC(), stopGrace);
    }

    private static ServerConfig config(Path dataDir, String... flags) {
        List<String> given = List.of(flags);
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        if (!given.contains("--workers")) {
            args.addAll(List.of("--workers", "2"));
        }
        args.addAll(given);
        return ServerConfig.parse(args, Map.of());
    }

    /**
     * Asks {@code /health} until it answers {@code status} (a failing store is probed at most once a second), running
     * the housekeeping's checks before each request, as a paused server has no housekeeping to run them.
     */
    HttpResponse<String> awaitHealth(int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        checkStatus();
        HttpResponse<String> response = get("/health");
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            checkStatus();
            response = get("/health");
        }
        assertThat(response.statusCode()).as("health; body: %s", response.body()).isEqualTo(status);
        return response;
    }

    /**
     * Asks {@code /health} until it answers {@code status}, within 20 s, and holds every answer on the way to
     * {@code bound}: a health check must answer at once whatever its stores do. Needs the housekeeping running.
     */
    HttpResponse<String> awaitHealthAnsweringWithin(int status, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long asked = System.nanoTime();
            HttpResponse<String> response = get("/health");
            Duration took = Duration.ofNanos(System.nanoTime() - asked);
            assertThat(took).as("time /health took to answer %s: %s", response.statusCode(), response.body())
                    .isLessThan(bound);
            if (response.statusCode() == status || System.nanoTime() > deadline) {
                assertThat(response.statusCode()).as("health; body: %s", response.body()).isEqualTo(status);
                return response;
            }
            Thread.sleep(100);
        }
    }

    /** Requests from now on send {@code Authorization: Bearer <key>}; null sends none. */
    TestServer as(String key) {
        this.apiKey = key;
        return this;
    }

    /**
     * Runs the housekeeping's every-second checks now (probes a failing store if one is due, reads the status that
     * {@code /health} and {@code /metrics} answer from): a paused server has no housekeeping to run them.
     */
    void checkStatus() {
        ServiceTestHooks.checkStatus(service);
    }

    void runNextJob() {
        if (!ServiceTestHooks.processNext(service)) {
            throw new IllegalStateException("no queued job to run");
        }
    }

    /** Tries the webhook deliveries that are due (without workers). */
    void deliverWebhooks() {
        ServiceTestHooks.deliverDueWebhooks(service);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    HttpResponse<byte[]> getBytes(String path, String... headers) {
        return send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Completes when the server ends the response (for a stream: when it closes it). */
    CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return http.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE().build());
    }

    HttpResponse<String> send(String method, String path, String... headers) {
        return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<String> postRaw(String path, String contentType, byte[] body) {
        return send(request(path, "Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> postMultipart(String path, Map<String, String> fields, FilePart... files) {
        String boundary = "----test" + UUID.randomUUID();
        return postRaw(path, "multipart/form-data; boundary=" + boundary, multipart(boundary, fields, files));
    }

    /** A body of unknown length, sent chunked: the server only learns its size while it streams in. */
    HttpResponse<String> postChunked(String path, String contentType, byte[] body) {
        return send(request(path, "Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    }

    static byte[] multipart(String boundary, Map<String, String> fields, FilePart... files) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n"));
        for (FilePart file : files) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.name() + "\""
                    + (file.filename() == null ? "" : "; filename=\"" + file.filename() + "\"")
                    + "\r\nContent-Type: " + file.contentType() + "\r\n\r\n");
            body.writeBytes(file.bytes());
            write(body, "\r\n");
        }
        write(body, "--" + boundary + "--\r\n");
        return body.toByteArray();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    /**
     * Returns once {@code requests} requests wait on the service ({@code wait=N}, an upload waiting for its job):
     * they are answered on server threads, so a request sent is not yet waiting. Bounded: fails after 20 s.
     */
    void awaitWaiting(int requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ServiceTestHooks.waiting(service) < requests) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + ServiceTestHooks.waiting(service) + " of " + requests
                        + " requests began waiting within 20 s");
            }
            Thread.sleep(10);
        }
    }

    /** Waits (20 s at most) until {@code uploads} uploads are under way. */
    void awaitUploadsInFlight(int uploads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.uploadsInFlight() < uploads) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + server.uploadsInFlight() + " of " + uploads
                        + " uploads under way within 20 s");
            }
            Thread.sleep(10);
        }
    }

    /** Completes when the server has answered (or the connection failed). */
    <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(request, handler);
    }

    HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        ServerProcess.shutDown(server, service);
    }
}
