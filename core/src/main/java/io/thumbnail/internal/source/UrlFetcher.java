package io.thumbnail.internal.source;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.image.header.FormatSniffer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Downloads an image from an http(s) URL under the {@link SourceGuard}. Runs on a worker thread, never a request thread.
 *
 * <ul>
 *   <li>Every URL, the first and each redirect target, is checked by the guard, and the connection goes to the
 *       address the guard checked ({@link PinnedAddresses}).</li>
 *   <li>Redirects are followed by hand, at most {@link FetchSettings#maxRedirects()}.</li>
 *   <li>The body is read up to {@link FetchSettings#maxBytes()} and the download cancelled when it passes the limit.</li>
 *   <li>One deadline ({@link FetchSettings#totalTimeout()}) covers all hops, headers and body.</li>
 *   <li>The format is sniffed from the bytes; Content-Type and the URL's extension are ignored.</li>
 * </ul>
 *
 * <p>Failures carry codes the worker understands: connection failures, timeouts, 5xx, 408 and 429 are transient
 * ({@link ErrorCode#IO_ERROR}, {@link ErrorCode#TIMEOUT}) and retried later; other 4xx, redirect trouble
 * ({@link ErrorCode#SOURCE_UNREACHABLE}), refusals ({@link ErrorCode#SOURCE_BLOCKED}), oversized bodies
 * ({@link ErrorCode#TOO_LARGE}) and non-images ({@link ErrorCode#UNSUPPORTED_FORMAT}) fail at once.
 */
public final class UrlFetcher {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<Integer> TRANSIENT_CLIENT_ERRORS = Set.of(408, 429);
    private static final String USER_AGENT = "thumbnail-service/0.1 (image fetcher)";

    private final SourceGuard guard;
    private final FetchSettings settings;
    private final PinnedAddresses pins = new PinnedAddresses();
    private volatile HttpClient client;

    public UrlFetcher(SourceGuard guard, FetchSettings settings) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Made on the first fetch, not at construction: building an HttpClient initialises TLS (a third of a second of
     * the server's startup), and a service that never fetches a URL should not pay for it.
     */
    private HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(settings.connectTimeout())
                            .proxy(pins)
                            .build();
                    client = made;
                }
            }
        }
        return made;
    }

    public FetchSettings settings() {
        return settings;
    }

    /** Fetches the image at {@code url}; see the class comment for what may be thrown. */
    public FetchedImage fetch(String url) {
        HttpClient client = client();   // made first, so its one-off cost is not taken from the fetch's time limit
        long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        CheckedUrl current = guard.check(url);
        for (int redirects = 0; ; redirects++) {
            HttpResponse<byte[]> response = send(client, current, deadline);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                ImageFormat format = FormatSniffer.sniff(response.body());
                return new FetchedImage(current.uri(), response.body(), format);
            }
            if (!REDIRECTS.contains(status)) {
                throw statusError(status, current.uri());
            }
            if (redirects >= settings.maxRedirects()) {
                throw new ThumbnailException(ErrorCode.SOURCE_UNREACHABLE, "too many redirects (more than "
                        + settings.maxRedirects() + ") starting from " + url);
            }
            current = guard.check(location(response, current.uri()));
        }
    }

    private HttpResponse<byte[]> send(HttpClient client, CheckedUrl url, long deadline) {
        Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
        if (remaining.isNegative() || remaining.isZero()) {
            throw timeout(url.uri());
        }
        HttpRequest request = HttpRequest.newBuilder(url.uri())
                .GET()
                .timeout(remaining)
                .header("User-Agent", USER_AGENT)
                .header("Accept", "image/*")
                .build();
        AtomicReference<LimitedBody> body = new AtomicReference<>();
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            if (info.statusCode() < 200 || info.statusCode() >= 300) {
                return LimitedBody.skipped();
            }
            LimitedBody limited = new LimitedBody(settings.maxBytes(), url.uri().toString());
            body.set(limited);
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > settings.maxBytes()) {
                limited.abort(new ThumbnailException(ErrorCode.TOO_LARGE, "the image at " + url.uri() + " is "
                        + declared + " bytes, more than the limit of " + settings.maxBytes()));
            }
            return limited;
        };
        try (PinnedAddresses.Handle pin = pins.pin(url)) {
            CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request, handler);
            try {
                return pending.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                stop(pending, body, e);
                throw timeout(url.uri());
            } catch (InterruptedException e) {
                stop(pending, body, e);
                Thread.currentThread().interrupt();
                throw new ThumbnailException(ErrorCode.IO_ERROR, "fetching " + url.uri() + " was interrupted", e);
            } catch (ExecutionException e) {
                throw failure(e.getCause(), url.uri());
            }
        }
    }

    private static void stop(CompletableFuture<?> pending, AtomicReference<LimitedBody> body, Exception why) {
        LimitedBody started = body.get();
        if (started != null) {
            started.abort(why);
        }
        pending.cancel(true);
    }

    private ThumbnailException timeout(URI url) {
        return new ThumbnailException(ErrorCode.TIMEOUT, "fetching " + url + " took longer than "
                + settings.totalTimeout().toMillis() + " ms");
    }

    private ThumbnailException failure(Throwable cause, URI url) {
        if (cause instanceof ThumbnailException e) {
            return e;
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new ThumbnailException(ErrorCode.TIMEOUT, "could not connect to " + url + " within "
                    + settings.connectTimeout().toMillis() + " ms");
        }
        if (cause instanceof HttpTimeoutException) {
            return timeout(url);
        }
        if (cause instanceof ConnectException) {
            return new ThumbnailException(ErrorCode.IO_ERROR, "could not connect to " + url);
        }
        if (cause instanceof IOException) {
            return new ThumbnailException(ErrorCode.IO_ERROR, "reading " + url + " failed: " + cause.getMessage());
        }
        return new ThumbnailException(ErrorCode.INTERNAL, "fetching " + url + " failed unexpectedly", cause);
    }

    private static ThumbnailException statusError(int status, URI url) {
        String message = "HTTP " + status + " from " + url;
        if (status >= 500 || TRANSIENT_CLIENT_ERRORS.contains(status)) {
            return new ThumbnailException(ErrorCode.IO_ERROR, message);
        }
        return new ThumbnailException(ErrorCode.SOURCE_UNREACHABLE, message);
    }

    private static URI location(HttpResponse<?> response, URI base) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new ThumbnailException(
                ErrorCode.SOURCE_UNREACHABLE, "HTTP " + response.statusCode() + " from " + base + " without a Location"));
        try {
            return base.resolve(new URI(location.trim()));
        } catch (URISyntaxException e) {
            throw new ThumbnailException(ErrorCode.SOURCE_UNREACHABLE,
                    "HTTP " + response.statusCode() + " from " + base + " redirects to an invalid URL");
        }
    }
}
