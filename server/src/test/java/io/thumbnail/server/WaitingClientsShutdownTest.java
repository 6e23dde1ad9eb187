package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SIGTERM ({@link ServerProcess#shutDown}) does to clients still waiting on jobs that will not finish before it:
 * each gets an answer it can act on, none a dropped connection.
 */
class WaitingClientsShutdownTest {
    private static final byte[] PNG = TestImages.gradient(120, 80, "png");

    @TempDir
    Path dir;

    @Test
    void an_upload_whose_body_is_still_arriving_when_sigterm_comes_is_accepted() throws Exception {
        TestServer server = TestServer.startPaused(dir);
        try (Socket socket = RawHttp.connect(server.server.port())) {
            byte[] png = TestImages.gradient(200, 150, "png");
            OutputStream out = sendHalfOfUpload(socket, png);
            server.awaitUploadsInFlight(1);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                    () -> ServerProcess.shutDown(server.server, server.service));
            // The rest of the body comes after the signal, well within the 5 s an upload under way is given.
            out.write(png, png.length / 2, png.length - png.length / 2);
            out.flush();
            RawHttp.Response answer = RawHttp.read(socket.getInputStream());
            stopping.get(60, TimeUnit.SECONDS);

            assertThat(answer.status()).as("the upload's answer: %s", answer.body()).isEqualTo(202);
            assertThat(answer.body()).contains("\"status\":\"queued\"");
        } finally {
            server.close();
        }
    }

    @Test
    void a_long_poll_is_answered_at_once_while_an_upload_still_has_its_moment_to_arrive() throws Exception {
        TestServer server = TestServer.startPaused(dir);
        try (Socket socket = RawHttp.connect(server.server.port())) {
            String id = json(server.postRaw("/api/v1/thumbnails?width=20", "image/png",
                    TestImages.gradient(30, 20, "png"))).get("id").asText();
            CompletableFuture<HttpResponse<String>> poll = server.getAsync("/api/v1/thumbnails/" + id + "?wait=30");
            server.awaitWaiting(1);
            byte[] png = TestImages.gradient(200, 150, "png");
            OutputStream out = sendHalfOfUpload(socket, png);
            server.awaitUploadsInFlight(1);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                    () -> ServerProcess.shutDown(server.server, server.service));
            HttpResponse<String> answered = poll.get(30, TimeUnit.SECONDS);

            assertThat(answered.statusCode()).as("the long-poll, body: %s", answered.body()).isEqualTo(503);
            assertThat(stopping).as("the server still waits for the upload under way").isNotDone();
            sendRestOfUploadAndAwaitStop(socket, out, png, stopping);
        } finally {
            server.close();
        }
    }

    @Test
    void a_batch_event_stream_ends_at_once_while_an_upload_still_has_its_moment_to_arrive() throws Exception {
        TestServer server = TestServer.startPaused(dir);
        try (Socket socket = RawHttp.connect(server.server.port())) {
            String batch = json(server.postMultipart("/api/v1/thumbnails", Map.of("width", "20"),
                    new TestServer.FilePart("file", "a.png", "image/png", TestImages.gradient(30, 20, "png")),
                    new TestServer.FilePart("file", "b.png", "image/png", TestImages.gradient(20, 30, "png"))))
                    .get("id").asText();
            Socket events = RawHttp.connect(server.server.port());
            events.setSoTimeout(30_000);
            events.getOutputStream().write(("GET /api/v1/batches/" + batch + "/events HTTP/1.1\r\n"
                    + "Host: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader stream = new BufferedReader(new InputStreamReader(events.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(linesUntil(stream, "event: job", 2)).as("the stream's first events, both items queued")
                    .isTrue();
            byte[] png = TestImages.gradient(200, 150, "png");
            OutputStream out = sendHalfOfUpload(socket, png);
            server.awaitUploadsInFlight(1);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                    () -> ServerProcess.shutDown(server.server, server.service));

            assertThat(linesUntil(stream, "event: error", 1)).as("the stream's error event").isTrue();
            assertThat(stream.readLine()).as("its data").contains("\"code\":\"unavailable\"");
            assertThat(stopping).as("the server still waits for the upload under way").isNotDone();
            events.close();
            sendRestOfUploadAndAwaitStop(socket, out, png, stopping);
        } finally {
            server.close();
        }
    }

    @Test
    void an_upload_whose_body_is_still_arriving_when_the_wait_for_uploads_ends_is_answered_503_with_retry_after()
            throws Exception {
        TestServer server = TestServer.startPaused(dir, Duration.ofMillis(200), "--min-upload-rate", "off");
        try (Socket socket = RawHttp.connect(server.server.port())) {
            sendHeadAndPartOfBody(socket);
            server.awaitUploadsInFlight(1);
            // A byte every 20 ms: never whole, never idle, so only the end of the wait stops it.
            trickle(socket.getOutputStream());

            RawHttp.Response answer = answerWhileStopping(server, socket);

            assertRefusedForNow(answer);
        } finally {
            server.close();
        }
    }

    @Test
    void an_upload_whose_body_stalls_while_the_server_stops_is_answered_503_with_retry_after() throws Exception {
        TestServer server = TestServer.startPaused(dir, "--min-upload-rate", "off");
        try (Socket socket = RawHttp.connect(server.server.port())) {
            sendHeadAndPartOfBody(socket);
            server.awaitUploadsInFlight(1);

            // A stopping server gives a silent connection far less time than a running one (Jetty: a second).
            RawHttp.Response answer = answerWhileStopping(server, socket);

            assertRefusedForNow(answer);
        } finally {
            server.close();
        }
    }

    /** Stops the server and reads what the upload on {@code socket} is answered meanwhile. */
    private static RawHttp.Response answerWhileStopping(TestServer server, Socket socket) throws Exception {
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                () -> ServerProcess.shutDown(server.server, server.service));
        RawHttp.Response answer = RawHttp.read(socket.getInputStream());
        stopping.get(60, TimeUnit.SECONDS);
        return answer;
    }

    /** 503 {@code unavailable} with {@code Retry-After}: the upload is to be sent again, not given up on. */
    /** Sends the second half of the upload begun on {@code socket}: it is accepted, and then the stop completes. */
    private static void sendRestOfUploadAndAwaitStop(Socket socket, OutputStream out, byte[] png,
                                                     CompletableFuture<Void> stopping) throws Exception {
        out.write(png, png.length / 2, png.length - png.length / 2);
        out.flush();
        assertThat(RawHttp.read(socket.getInputStream()).status()).as("the upload, accepted").isEqualTo(202);
        stopping.get(60, TimeUnit.SECONDS);
    }

    /** Reads lines until {@code count} of them equal {@code line}; false if the stream ends first. */
    private static boolean linesUntil(BufferedReader stream, String line, int count) throws IOException {
        int seen = 0;
        for (String read = stream.readLine(); read != null; read = stream.readLine()) {
            if (read.equals(line) && ++seen == count) {
                return true;
            }
        }
        return false;
    }

    private static void assertRefusedForNow(RawHttp.Response answer) {
        assertThat(answer.status()).as("the upload's answer: %s", answer.head()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).as("Retry-After").isNotNull();
        assertThat(errorCode(answer)).as("error code").isEqualTo("unavailable");
    }

    @Test
    void sigterm_answers_every_waiting_client_instead_of_dropping_its_connection() throws Exception {
        TestServer server = TestServer.startPaused(dir);
        try {
            String job = json(server.postRaw("/api/v1/thumbnails?width=40", "image/png", PNG)).get("id").asText();
            String batch = submitBatch(server, "/api/v1/thumbnails?width=40").get("id").asText();
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                polls.add(server.getAsync("/api/v1/thumbnails/" + job + "?wait=30"));
            }
            CompletableFuture<HttpResponse<String>> uploadWait = server.sendAsync(
                    server.request("/api/v1/thumbnails?width=40&wait=30", "Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.gradient(61, 40, "png"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<CompletableFuture<HttpResponse<String>>> batchWaits = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                batchWaits.add(postBatchAsync(server, "/api/v1/thumbnails?width=40&wait=30"));
            }
            List<CompletableFuture<String>> streams = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                streams.add(openStream(server, "/api/v1/batches/" + batch + "/events"));
            }
            // A batch's wait is one for the whole batch.
            server.awaitWaiting(polls.size() + 1 + batchWaits.size());

            ServerProcess.shutDown(server.server, server.service);

            for (CompletableFuture<HttpResponse<String>> poll : polls) {
                HttpResponse<String> answer = poll.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as("a job long-poll: %s", answer.body()).isEqualTo(503);
                assertThat(json(answer).at("/error/code").asText()).isEqualTo("unavailable");
                assertThat(answer.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            }
            HttpResponse<String> accepted = uploadWait.get(30, TimeUnit.SECONDS);
            assertThat(accepted.statusCode()).as("an upload waiting for its job, which was accepted: %s",
                    accepted.body()).isEqualTo(202);
            assertThat(json(accepted).get("status").asText()).isEqualTo("queued");
            assertThat(accepted.headers().firstValue("Location")).as("where the accepted job is")
                    .hasValue("/api/v1/thumbnails/" + json(accepted).get("id").asText());
            for (CompletableFuture<HttpResponse<String>> wait : batchWaits) {
                HttpResponse<String> answer = wait.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as("an upload waiting for its batch, which was accepted: %s",
                        answer.body()).isEqualTo(202);
                assertThat(answer.headers().firstValue("Location")).as("where the accepted batch is")
                        .hasValueSatisfying(l -> assertThat(l).startsWith("/api/v1/batches/"));
                assertThat(json(answer).get("items")).as("the batch's items").hasSize(2);
            }
            for (CompletableFuture<String> stream : streams) {
                String body = stream.get(30, TimeUnit.SECONDS);
                List<String> events = eventNames(body);
                assertThat(events).as("a batch event stream, closed by the server: %s", body)
                        .startsWith("job", "job").endsWith("error");
                assertThat(body).contains("\"code\":\"unavailable\"");
            }
        } finally {
            server.close();
        }
    }

    @Test
    void once_it_stops_accepting_a_request_on_an_open_connection_is_answered_503_closing_it_and_new_connections_are_refused()
            throws Exception {
        try (TestServer server = TestServer.startPaused(dir);
             Socket connection = RawHttp.connect(server.server.port())) {
            int port = server.server.port();
            String request = "GET /api/v1/thumbnails HTTP/1.1\r\nHost: x\r\n\r\n";
            assertThat(exchangeKeepingAlive(connection, request)).as("before").startsWith("HTTP/1.1 200");
            // The client can have the whole answer before the server has completed it; a request still completing
            // when the server stops accepting closes its connection after it, as it should.
            awaitNoRequestInFlight(server);

            server.server.stopAccepting();

            String answer = exchangeKeepingAlive(connection, request);
            assertThat(answer).as("on the open connection").startsWith("HTTP/1.1 503")
                    .containsIgnoringCase("Retry-After: ").containsIgnoringCase("Connection: close")
                    .contains("\"code\":\"unavailable\"");
            assertThat(refusesConnections(port)).as("a new connection is refused").isTrue();
        }
    }

    /**
     * Whether connecting to {@code port} is refused within 10 s. The listening socket of a connector that accepts
     * through a selector is closed by its selector thread, a moment after the connector is shut down.
     */
    private static boolean refusesConnections(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (ConnectException refused) {
                return true;
            }
        }
        return false;
    }

    private static void awaitNoRequestInFlight(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.server.requestsInFlight() > 0) {
            assertThat(System.nanoTime()).as("the request completed in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Writes one request and reads one response (by its Content-Length), leaving the connection open. */
    private static String exchangeKeepingAlive(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after: " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** Sends the head of a raw upload of {@code png} and the first half of it; returns the stream for the rest. */
    private static OutputStream sendHalfOfUpload(Socket socket, byte[] png) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/thumbnails?width=40 HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                + "Content-Length: " + png.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(png, 0, png.length / 2);
        out.flush();
        return out;
    }

    /** Sends the head of an upload of 1 MB and its first 1000 bytes. */
    private static void sendHeadAndPartOfBody(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/thumbnails?width=40 HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                + "Content-Length: " + (1 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[1000]);
        out.flush();
    }

    /** Writes a byte every 20 ms, on another thread, until the connection is closed (by the server or the test). */
    private static void trickle(OutputStream out) {
        CompletableFuture.runAsync(() -> {
            try {
                while (true) {
                    out.write(0);
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException closed) {
                // The connection is closed: nothing more to send.
            }
        });
    }

    private static String errorCode(RawHttp.Response response) {
        try {
            return TestServer.JSON.readTree(response.body()).at("/error/code").asText();
        } catch (IOException e) {
            throw new AssertionError("not JSON (status " + response.status() + "): " + response.body(), e);
        }
    }

    private static JsonNode submitBatch(TestServer server, String path) {
        HttpResponse<String> response = server.send(batchRequest(server, path));
        assertThat(response.statusCode()).as("batch upload: %s", response.body()).isEqualTo(202);
        return json(response);
    }

    private static CompletableFuture<HttpResponse<String>> postBatchAsync(TestServer server, String path) {
        return server.sendAsync(batchRequest(server, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest batchRequest(TestServer server, String path) {
        String boundary = "----test" + UUID.randomUUID();
        byte[] body = TestServer.multipart(boundary, Map.of(), new TestServer.FilePart("a.png", "image/png", PNG),
                new TestServer.FilePart("b.png", "image/png", PNG));
        return server.request(path, "Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** Opens the stream (its head has arrived when this returns); the future completes with its body at its end. */
    private static CompletableFuture<String> openStream(TestServer server, String path) throws Exception {
        HttpResponse<InputStream> response = server.sendAsync(server.request(path).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as("the stream opens").isEqualTo(200);
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = response.body()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("the stream broke instead of ending", e);
            }
        });
    }

    private static List<String> eventNames(String body) {
        List<String> names = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("event:")) {
                names.add(line.substring(6).trim());
            }
        }
        return names;
    }
}
