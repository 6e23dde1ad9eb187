package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and stalled clients: they hold sockets, not threads, and are cut off by the idle and header timeouts
 * (set short here; real time passes, bounded by generous waits, and nothing asserts speed).
 */
class SlowClientTest {
    private static final int SLOW_CONNECTIONS = 50;
    private static final byte[] PNG = TestImages.gradient(64, 48, "png");

    @TempDir
    Path dir;

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Sends a header line every 200 ms, for 20 s at most: it keeps the connection from ever being idle. True once
     * the server has closed it.
     */
    private static boolean dripHeadersUntilClosed(Socket socket) {
        for (int i = 0; i < 100; i++) {
            try {
                send(socket, "X-Drip-" + i + ": 1\r\n");
            } catch (IOException e) {
                return true;
            }
            if (RawHttp.closedByServer(socket, 200)) {
                return true;
            }
        }
        return false;
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a test socket: nothing to do
            }
        }
    }

    @Test
    void fifty_slow_connections_do_not_stop_others_from_being_served() throws Exception {
        try (TestServer server = TestServer.start(dir, "--idle-timeout", "60s", "--header-timeout", "60s",
                "--min-upload-rate", "off")) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                    Socket socket = RawHttp.connect(server.server.port());
                    slow.add(socket);
                    switch (i % 3) {
                        case 0 -> send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");   // headers never end
                        case 1 -> send(socket, "POST /api/v1/thumbnails?width=20 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: image/png\r\nContent-Length: 1000000\r\n\r\n" + "\u0089PNG");  // body stalls
                        default -> { }   // connects and says nothing
                    }
                }

                for (int i = 0; i < 20; i++) {
                    assertThat(server.get("/health").statusCode()).as("health request %d", i + 1).isEqualTo(200);
                }
                HttpResponse<String> upload = server.postRaw("/api/v1/thumbnails?width=20&wait=20", "image/png", PNG);
                assertThat(upload.statusCode()).as("an upload is served and its job runs; %s", upload.body())
                        .isEqualTo(200);

                List<Integer> closed = new ArrayList<>();
                for (int i = 0; i < slow.size(); i++) {
                    if (RawHttp.closedByServer(slow.get(i), 1)) {
                        closed.add(i);
                    }
                }
                assertThat(closed).as("connections closed before the timeouts").isEmpty();
            } finally {
                closeAll(slow);
            }
        }
    }

    @Test
    void an_idle_connection_is_closed_after_the_idle_timeout() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--idle-timeout", "1s", "--header-timeout", "60s")) {
            try (Socket socket = RawHttp.connect(server.server.port())) {
                send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                byte[] start = socket.getInputStream().readNBytes(12);
                assertThat(new String(start, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");

                assertThat(RawHttp.closedByServer(socket, 20_000)).as("closed once idle, kept-alive or not").isTrue();
            }
        }
    }

    @Test
    void a_connection_that_never_finishes_its_headers_is_closed_at_the_header_timeout() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--idle-timeout", "60s", "--header-timeout", "1s")) {
            try (Socket socket = RawHttp.connect(server.server.port())) {
                send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");

                assertThat(dripHeadersUntilClosed(socket)).as("closed within 20 s although bytes kept coming").isTrue();
            }
        }
    }

    @Test
    void a_stalled_upload_is_cut_off_and_its_thread_freed() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--idle-timeout", "1s", "--header-timeout", "60s")) {
            try (Socket socket = RawHttp.connect(server.server.port())) {
                send(socket, "POST /api/v1/thumbnails?width=20 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                        + "Content-Length: 1000000\r\n\r\n\u0089PNG");

                assertThat(RawHttp.closedByServer(socket, 20_000)).as("closed after the idle timeout").isTrue();
            }
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
            assertThat(server.service.list(io.thumbnail.JobQuery.all()).items()).as("no job from half an upload").isEmpty();
        }
    }

    @Test
    void an_upload_trickling_in_below_the_minimum_rate_is_cut_off() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--idle-timeout", "60s", "--min-upload-rate", "100K")) {
            try (Socket socket = RawHttp.connect(server.server.port())) {
                send(socket, "POST /api/v1/thumbnails?width=20 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                        + "Content-Length: 1000000\r\n\r\n");
                boolean closed = false;
                for (int i = 0; i < 100 && !closed; i++) {
                    try {
                        send(socket, "x".repeat(100));   // about 500 bytes a second
                    } catch (IOException e) {
                        break;
                    }
                    closed = RawHttp.closedByServer(socket, 200);
                }
                assertThat(closed).as("cut off within 20 s although bytes kept coming").isTrue();
            }
            assertThat(server.service.list(io.thumbnail.JobQuery.all()).items()).as("no job from half an upload").isEmpty();
        }
    }

    @Test
    void a_long_poll_that_outlasts_the_idle_timeout_is_answered_when_its_wait_ends() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--idle-timeout", "1s")) {
            String id = TestServer.json(server.postRaw("/api/v1/thumbnails?width=20", "image/png", PNG)).get("id").asText();

            HttpResponse<String> polled = server.get("/api/v1/thumbnails/" + id + "?wait=3");

            assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
            assertThat(TestServer.json(polled).get("status").asText()).as("still queued when the wait ended")
                    .isEqualTo("queued");
        }
    }

    @Test
    void a_body_that_keeps_above_the_minimum_rate_is_still_cut_off_at_the_body_timeout() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--body-timeout", "2s", "--min-upload-rate", "1K");
             SlowClients client = new SlowClients(server.server.port())) {
            client.open("127.0.0.1", "POST /api/v1/thumbnails?width=20 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: image/png\r\nContent-Length: 1000000\r\n\r\n", 400, 1_000_000);

            // 4 KB/s, four times the minimum rate, for up to 20 s.
            for (int s = 0; s < 20 && client.answeredOrClosed() == 0; s++) {
                client.trickle(Duration.ofSeconds(1), Duration.ofMillis(100));
            }

            assertThat(client.answeredOrClosed()).as("answered (408) or closed within 20 s").isEqualTo(1);
            assertThat(server.service.list(io.thumbnail.JobQuery.all()).items()).as("no job from half an upload").isEmpty();
        }
    }

    @Test
    void a_kept_alive_connection_that_trickles_its_next_request_head_is_closed_at_the_header_timeout()
            throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--idle-timeout", "60s", "--header-timeout", "1s")) {
            try (Socket socket = RawHttp.connect(server.server.port())) {
                send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                byte[] start = socket.getInputStream().readNBytes(12);
                assertThat(new String(start, StandardCharsets.ISO_8859_1)).as("the first request is answered")
                        .isEqualTo("HTTP/1.1 200");

                send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");

                assertThat(dripHeadersUntilClosed(socket))
                        .as("the second request's head cut off within 20 s although bytes kept coming").isTrue();
            }
        }
    }

    @Test
    void a_kept_alive_connection_between_requests_is_left_to_the_idle_timeout() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--idle-timeout", "60s", "--header-timeout", "1s")) {
            try (Socket socket = RawHttp.connect(server.server.port())) {
                send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                socket.getInputStream().readNBytes(12);

                assertThat(RawHttp.closedByServer(socket, 3000)).as("an idle kept-alive connection, after 3 s")
                        .isFalse();
                send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                byte[] next = socket.getInputStream().readNBytes(12);
                assertThat(new String(next, StandardCharsets.ISO_8859_1)).as("its next request, answered")
                        .isEqualTo("HTTP/1.1 200");
            }
        }
    }

    @Test
    void connections_past_the_per_address_limit_are_closed_at_once_and_other_addresses_still_connect()
            throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-connections-per-address", "5");
             SlowClients crowd = new SlowClients(server.server.port())) {
            for (int i = 0; i < 8; i++) {
                crowd.open("127.0.3.1", "", 0, 0);
            }
            for (int i = 0; i < 50 && crowd.answeredOrClosed() < 3; i++) {
                crowd.trickle(Duration.ofMillis(100), Duration.ofMillis(100));
            }

            assertThat(crowd.answeredOrClosed()).as("connections from one address past the fifth, closed").isEqualTo(3);
            assertThat(server.get("/health").statusCode()).as("another address").isEqualTo(200);
        }
    }

    @Test
    void an_address_at_its_connection_limit_is_served_again_once_its_connections_close() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-connections-per-address", "3")) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                // The server counts a connection closed once its selector has seen it go, a moment after the client
                // read the last byte: a connection refused meanwhile is tried again, for up to a second.
                int status = -1;
                for (int attempt = 0; attempt < 50 && status == -1; attempt++) {
                    if (attempt > 0) {
                        Thread.sleep(20);
                    }
                    status = RawHttp.exchange(server.server.port(),
                            "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status();
                }
                statuses.add(status);
            }

            assertThat(statuses).as("twelve connections one after another from an address allowed 3 at a time")
                    .containsOnly(200);
        }
    }

    @Test
    void downloads_whose_clients_stop_reading_hold_no_request_thread() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> made = server.postRaw("/api/v1/thumbnails?width=2000&height=2000&format=png&wait=30",
                    "image/png", noisePng(2000, 2000));
            assertThat(made.statusCode()).as("a large PNG thumbnail made: %s", made.body()).isEqualTo(200);
            String file = TestServer.json(made).at("/thumbnail/url").asText();
            long bytes = TestServer.json(made).at("/thumbnail/bytes").asLong();
            assertThat(bytes).as("thumbnail bytes, beyond what socket buffers hold").isGreaterThan(8L << 20);
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(4096);
                    socket.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 5000);
                    socket.setSoTimeout(30_000);
                    send(socket, "GET " + file + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    // The answer has begun; from here on this client reads nothing.
                    assertThat(socket.getInputStream().readNBytes(12)).asString(StandardCharsets.ISO_8859_1)
                            .as("the status line").isEqualTo("HTTP/1.1 200");
                    stalled.add(socket);
                }

                boolean released = false;
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); !released && System.nanoTime() < end; ) {
                    released = threadsWritingResponses() == 0;
                    Thread.onSpinWait();
                }

                assertThat(released).as("no request thread left writing a download its client does not read (%d now)",
                        threadsWritingResponses()).isTrue();
                assertThat(server.get("/health").statusCode()).as("health meanwhile").isEqualTo(200);
            } finally {
                closeAll(stalled);
            }
        }
    }

    @Test
    void a_large_download_outlasts_the_idle_timeout_while_its_socket_buffers_drain() throws Exception {
        try (TestServer server = TestServer.start(dir, "--idle-timeout", "1s")) {
            HttpResponse<String> made = server.postRaw("/api/v1/thumbnails?width=2000&height=2000&format=png&wait=30",
                    "image/png", noisePng(2000, 2000));
            assertThat(made.statusCode()).as("a large PNG thumbnail made: %s", made.body()).isEqualTo(200);
            long bytes = TestServer.json(made).at("/thumbnail/bytes").asLong();
            assertThat(bytes).as("thumbnail bytes, beyond what socket buffers hold").isGreaterThan(8L << 20);

            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 5000);
                socket.setSoTimeout(30_000);
                send(socket, "GET " + TestServer.json(made).at("/thumbnail/url").asText()
                        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                assertThat(socket.getInputStream().readNBytes(12)).asString(StandardCharsets.ISO_8859_1)
                        .as("the status line").isEqualTo("HTTP/1.1 200");
                // The socket buffers fill and the server's writes wait, three idle timeouts, for a slow reader.
                Thread.sleep(3000);
                byte[] rest = socket.getInputStream().readAllBytes();

                String answer = new String(rest, StandardCharsets.ISO_8859_1);
                int bodyStart = answer.indexOf("\r\n\r\n") + 4;
                assertThat(rest.length - bodyStart).as("body bytes read once the client reads again")
                        .isEqualTo(bytes);
            }
        }
    }

    /** Request threads now inside a response write (blocked in it, for a client that does not read). */
    private static long threadsWritingResponses() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("http-"))
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(frame -> frame.getClassName().endsWith("HttpOutput")
                        && frame.getMethodName().equals("write")))
                .count();
    }

    /** A PNG of random pixels, which compress to nothing: about 3 bytes a pixel. */
    private static byte[] noisePng(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
