package io.thumbnail.internal.source;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fetcher against real HTTP servers on 127.0.0.1 and ::1. Nothing here connects anywhere else: with the guard
 * lifted, the URLs are loopback literals; with the guard on, host names come from a fixed table that answers with
 * the ::1 stand-in, the one address the test lets through.
 */
class UrlFetcherTest {
    private static final FetchSettings FAST = FetchSettings.defaults()
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)).withMaxBytes(1024 * 1024);

    private final CountDownLatch release = new CountDownLatch(1);
    private LoopbackServer server;
    private UrlFetcher fetcher;
    private byte[] png;

    @BeforeEach
    void start() throws IOException {
        png = png(64, 48);
        server = LoopbackServer.onIpv4("origin");
        fetcher = new UrlFetcher(new SourceGuard(new SourcePolicy(true, Set.of()), HostResolver.system()), FAST);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    @Test
    void fetches_an_image_and_sniffs_its_format() {
        server.on("/cat.png", ex -> LoopbackServer.respond(ex, 200, "image/png", png));

        FetchedImage image = fetcher.fetch(server.url("/cat.png"));

        assertThat(image.bytes()).as("the served bytes").isEqualTo(png);
        assertThat(image.format()).isEqualTo(ImageFormat.PNG);
        assertThat(image.url()).hasToString(server.url("/cat.png"));
    }

    @Test
    void trusts_the_bytes_not_a_wrong_content_type_or_extension() {
        server.on("/photo.jpg", ex -> LoopbackServer.respond(ex, 200, "text/html", png));

        assertThat(fetcher.fetch(server.url("/photo.jpg")).format()).as("PNG bytes served as text/html named .jpg")
                .isEqualTo(ImageFormat.PNG);
    }

    @Test
    void refuses_a_web_page_served_as_an_image_with_unsupported_format() {
        byte[] html = "<!doctype html><title>not an image</title>".getBytes();
        server.on("/cat.png", ex -> LoopbackServer.respond(ex, 200, "image/png", html));

        assertFails(() -> fetcher.fetch(server.url("/cat.png")), ErrorCode.UNSUPPORTED_FORMAT, "text");
    }

    @Test
    void a_404_fails_at_once_with_source_unreachable_and_the_status() {
        server.on("/missing.png", ex -> LoopbackServer.respond(ex, 404, "text/plain", "gone".getBytes()));

        assertFails(() -> fetcher.fetch(server.url("/missing.png")), ErrorCode.SOURCE_UNREACHABLE, "HTTP 404");
        assertThat(ErrorCode.SOURCE_UNREACHABLE.isTransient()).as("4xx is not retried").isFalse();
    }

    @Test
    void a_500_is_a_transient_io_error_with_the_status() {
        server.on("/flaky.png", ex -> LoopbackServer.respond(ex, 500, "text/plain", "oops".getBytes()));

        assertFails(() -> fetcher.fetch(server.url("/flaky.png")), ErrorCode.IO_ERROR, "HTTP 500");
        assertThat(ErrorCode.IO_ERROR.isTransient()).as("5xx is retried with backoff").isTrue();
    }

    @Test
    void a_429_is_transient_because_the_source_asks_to_come_back_later() {
        server.on("/busy.png", ex -> LoopbackServer.respond(ex, 429, null, new byte[0]));

        assertFails(() -> fetcher.fetch(server.url("/busy.png")), ErrorCode.IO_ERROR, "HTTP 429");
    }

    @Test
    void a_refused_connection_is_a_transient_io_error() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        assertFails(() -> fetcher.fetch("http://127.0.0.1:" + closedPort + "/x.png"), ErrorCode.IO_ERROR,
                "could not connect");
    }

    @Test
    void follows_redirects_to_the_image() {
        server.on("/old", ex -> LoopbackServer.redirect(ex, 301, "/older"))
                .on("/older", ex -> LoopbackServer.redirect(ex, 302, server.url("/cat.png")))
                .on("/cat.png", ex -> LoopbackServer.respond(ex, 200, "image/png", png));

        FetchedImage image = fetcher.fetch(server.url("/old"));

        assertThat(image.bytes()).isEqualTo(png);
        assertThat(image.url()).as("the URL the bytes came from").hasToString(server.url("/cat.png"));
    }

    @Test
    void follows_at_most_five_redirects() {
        AtomicInteger hops = new AtomicInteger();
        server.on("/hop", ex -> {
            int n = hops.incrementAndGet();
            if (n > 20) {
                LoopbackServer.respond(ex, 500, null, new byte[0]); // a bound for a broken fetcher
            } else {
                LoopbackServer.redirect(ex, 307, "/hop?n=" + n);
            }
        });

        assertFails(() -> fetcher.fetch(server.url("/hop")), ErrorCode.SOURCE_UNREACHABLE, "too many redirects");
        assertThat(hops.get()).as("the first request and five redirects").isEqualTo(6);
    }

    @Test
    void a_redirect_loop_ends_with_too_many_redirects() {
        server.on("/a", ex -> LoopbackServer.redirect(ex, 302, "/b"))
                .on("/b", ex -> LoopbackServer.redirect(ex, 302, "/a"));

        assertFails(() -> fetcher.fetch(server.url("/a")), ErrorCode.SOURCE_UNREACHABLE, "too many redirects");
    }

    @Test
    void a_redirect_without_location_is_unreachable() {
        server.on("/nowhere", ex -> ex.sendResponseHeaders(302, -1));

        assertFails(() -> fetcher.fetch(server.url("/nowhere")), ErrorCode.SOURCE_UNREACHABLE, "without a Location");
    }

    @Test
    void a_redirect_to_another_scheme_is_refused() {
        server.on("/sneaky", ex -> LoopbackServer.redirect(ex, 302, "file:///etc/passwd"));

        assertFails(() -> fetcher.fetch(server.url("/sneaky")), ErrorCode.SOURCE_BLOCKED, "only http and https");
    }

    @Test
    void stops_reading_an_endless_body_at_the_byte_limit() {
        AtomicLong written = new AtomicLong();
        server.on("/endless", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, no length
            OutputStream out = ex.getResponseBody();
            byte[] chunk = new byte[64 * 1024];
            System.arraycopy(png, 0, chunk, 0, png.length);
            for (int i = 0; i < 1024 && release.getCount() > 0; i++) { // at most 64 MiB
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        });

        assertFails(() -> fetcher.fetch(server.url("/endless")), ErrorCode.TOO_LARGE, "1048576 bytes");
        release.countDown();
        // The server's writes fail once the fetcher hangs up; what it got out is the limit plus socket buffers.
        assertThat(written.get()).as("bytes the server managed to send before the fetcher hung up")
                .isLessThan(32L * 1024 * 1024);
    }

    @Test
    void refuses_a_declared_length_over_the_limit_without_reading_the_body() {
        server.on("/huge.png", ex -> {
            ex.sendResponseHeaders(200, 50L * 1024 * 1024);
            ex.getResponseBody().write(png);
        });

        assertFails(() -> fetcher.fetch(server.url("/huge.png")), ErrorCode.TOO_LARGE, "52428800 bytes");
    }

    @Test
    void a_slow_drip_times_out_within_the_total_timeout() {
        server.on("/drip.png", ex -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < png.length && !release.await(100, TimeUnit.MILLISECONDS); i++) {
                out.write(png[i]);
                out.flush();
            }
        });
        long started = System.nanoTime();

        assertFails(() -> fetcher.fetch(server.url("/drip.png")), ErrorCode.TIMEOUT, "took longer than 1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("gave up near the 1 s total timeout")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void a_server_that_never_answers_times_out() {
        server.on("/silent.png", ex -> release.await(5, TimeUnit.SECONDS));

        assertFails(() -> fetcher.fetch(server.url("/silent.png")), ErrorCode.TIMEOUT, "took longer");
        assertThat(ErrorCode.TIMEOUT.isTransient()).isTrue();
    }

    @Test
    void the_guard_refuses_loopback_before_connecting_when_it_is_on() {
        AtomicInteger hits = new AtomicInteger();
        server.on("/cat.png", ex -> {
            hits.incrementAndGet();
            LoopbackServer.respond(ex, 200, "image/png", png);
        });
        UrlFetcher guarded = new UrlFetcher(new SourceGuard(SourcePolicy.guarded(), HostResolver.system()), FAST);

        assertFails(() -> guarded.fetch(server.url("/cat.png")), ErrorCode.SOURCE_BLOCKED, "loopback");
        assertThat(hits.get()).as("requests that reached the server").isZero();
    }

    @Test
    void a_redirect_from_an_allowed_host_to_127_0_0_1_is_refused_before_connecting() throws IOException {
        AtomicInteger secretHits = new AtomicInteger();
        server.on("/secret", ex -> {
            secretHits.incrementAndGet();
            LoopbackServer.respond(ex, 200, "image/png", png);
        });
        try (LoopbackServer allowed = LoopbackServer.onIpv6("allowed")) {
            allowed.on("/cat.png", ex -> LoopbackServer.redirect(ex, 302, server.url("/secret")));
            UrlFetcher guarded = new UrlFetcher(guardTrustingIpv6Loopback(host -> List.of(ipv6Loopback())), FAST);

            assertFails(() -> guarded.fetch("http://images.test:" + allowed.port() + "/cat.png"),
                    ErrorCode.SOURCE_BLOCKED, "'127.0.0.1' is in a blocked range: loopback (127.0.0.0/8)");
        }
        assertThat(secretHits.get()).as("requests that reached the internal server").isZero();
    }

    @Test
    void connects_to_the_checked_address_so_a_second_dns_answer_cannot_rebind_it() throws IOException {
        List<String> hostHeaders = new CopyOnWriteArrayList<>();
        List<String> lookups = new CopyOnWriteArrayList<>();
        try (LoopbackServer allowed = LoopbackServer.onIpv6("allowed")) {
            allowed.on("/cat.png", ex -> {
                hostHeaders.add(ex.getRequestHeaders().getFirst("Host"));
                LoopbackServer.respond(ex, 200, "image/png", png);
            });
            // First answer: the allowed stand-in. Any later answer would be the metadata address.
            HostResolver rebinding = host -> {
                lookups.add(host);
                return List.of(lookups.size() == 1 ? ipv6Loopback() : InetAddress.getByName("169.254.169.254"));
            };
            UrlFetcher guarded = new UrlFetcher(guardTrustingIpv6Loopback(rebinding), FAST);

            FetchedImage image = guarded.fetch("http://images.test:" + allowed.port() + "/cat.png");

            assertThat(image.bytes()).isEqualTo(png);
            assertThat(lookups).as("the name is resolved once, by the guard").containsExactly("images.test");
            assertThat(hostHeaders).as("the server sees the name, though the connection went to the checked address")
                    .containsExactly("images.test:" + allowed.port());
        }
    }

    @Test
    void every_redirect_target_is_resolved_and_checked_again() throws IOException {
        List<String> lookups = new CopyOnWriteArrayList<>();
        try (LoopbackServer allowed = LoopbackServer.onIpv6("allowed")) {
            allowed.on("/start", ex -> LoopbackServer.redirect(ex, 301, "http://metadata.test:" + allowed.port() + "/x"));
            HostResolver table = host -> {
                lookups.add(host);
                return List.of(host.equals("images.test") ? ipv6Loopback() : InetAddress.getByName("169.254.169.254"));
            };
            UrlFetcher guarded = new UrlFetcher(guardTrustingIpv6Loopback(table), FAST);

            assertFails(() -> guarded.fetch("http://images.test:" + allowed.port() + "/start"),
                    ErrorCode.SOURCE_BLOCKED, "'metadata.test' (169.254.169.254) is in a blocked range: link-local");
            assertThat(lookups).containsExactly("images.test", "metadata.test");
        }
    }

    /** The guard as in production, except that ::1 stands in for a public address. */
    private static SourceGuard guardTrustingIpv6Loopback(HostResolver resolver) {
        InetAddress standIn = ipv6Loopback();
        return new SourceGuard(SourcePolicy.guarded(), resolver,
                address -> address.equals(standIn) ? Optional.empty() : BlockedRanges.reason(address));
    }

    private static InetAddress ipv6Loopback() {
        try {
            return InetAddress.getByName("::1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertFails(Executable fetch, ErrorCode code, String messagePart) {
        assertThatThrownBy(fetch::execute)
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).as("error code (message: %s)", e.getMessage()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
