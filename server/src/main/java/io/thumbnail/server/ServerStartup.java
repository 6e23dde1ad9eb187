package io.thumbnail.server;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.Thumbnailer;
import io.thumbnail.server.internal.http.BodyReader;
import io.thumbnail.server.internal.http.RequestExecutors;
import io.thumbnail.server.internal.http.UploadReader;
import io.thumbnail.server.internal.http.UrlRequestReader;
import io.thumbnail.server.internal.ops.ServerMetrics;
import io.thumbnail.server.internal.security.UploadAdmission;
import io.thumbnail.server.internal.security.WaitLimit;
import io.thumbnail.server.internal.security.UrlSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The order in which a server comes up, in one place, so that its first answer comes in about a second. Start-up is
 * two halves of about equal work that need each other only to answer requests: opening the service (SQLite,
 * migrations, recovery) on one thread while the web server starts on another. {@code /health}, the first request a
 * deployment makes, needs only the open service; the rest waits until it has been answered (or 5 s, or the first
 * request that needs it): the metrics registry and the controllers (a few hundred classes, and the job counters'
 * listener), Jackson (loaded on the side once that answer is out, or 2 s after the server listens), and the heap
 * sizing (5 s on). Built before, each competed on two cores with the rest of start-up and delayed that first answer.
 */
final class ServerStartup {
    private static final Logger log = LoggerFactory.getLogger(ServerStartup.class);
    private static final long WIRING_AT_THE_LATEST_SECONDS = 5;

    private final CompletableFuture<ThumbnailService> opening;
    private final ServerConfig config;
    private final WaitLimit waits;
    private final UploadAdmission admission;
    private final RequestExecutors executors;
    private final CompletableFuture<HealthController> health;
    private final CompletableFuture<Wiring> wiring = new CompletableFuture<>();
    private final AtomicBoolean wiringStarted = new AtomicBoolean();
    private final CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
    private final CompletableFuture<Optional<String>> webpUnavailable = new CompletableFuture<>();
    private final Clock clock;
    private volatile UrlSigner signer;
    private volatile boolean stopped;

    /** What needs the open service: its metrics, the controllers that call it, and what receives their uploads. */
    record Wiring(ServerMetrics metrics, UploadController uploads, ThumbnailController thumbnails,
                  BatchController batches, MetricsController metricsController, BodyReader bodies) {
    }

    /**
     * The parts of a server whose service is {@code opening} (or open already), made as start-up allows: the wiring
     * once the first request has been answered, by the first request that needs it, or 5 s from now.
     */
    ServerStartup(CompletableFuture<ThumbnailService> opening, ServerConfig config, WaitLimit waits,
                  UploadAdmission admission, RequestExecutors executors, Clock clock) {
        this.opening = opening;
        this.clock = clock;
        this.config = config;
        this.waits = waits;
        this.admission = admission;
        this.executors = executors;
        this.health = opening.thenApply(service -> new HealthController(service, config.minFreeBytes(),
                webpUnavailable));
        firstAnswer.copy().completeOnTimeout(null, WIRING_AT_THE_LATEST_SECONDS, TimeUnit.SECONDS).thenRunAsync(() -> {
            if (!stopped) {
                startWiring();
                // Loading libwebp takes a fifth of a second: after the first answer too, and off the request threads
                // (a request that needs WebP before then loads it itself, and this finds it loaded).
                webpUnavailable.complete(Thumbnailer.webpUnavailableReason());
            }
        }, task -> daemon("server-wiring", task).start());
    }

    /** {@code /health}'s controller, once the service is open; 503 {@code unavailable} if it could not be opened. */
    HealthController health() {
        try {
            return health.join();
        } catch (CompletionException e) {
            throw notOpened(e);
        }
    }

    /** The parts that need the service, made now on this thread unless another has started to (then waited for). */
    Wiring wired() {
        startWiring();
        try {
            return wiring.join();
        } catch (CompletionException e) {
            throw notOpened(e);
        }
    }

    /**
     * What signs and checks file URLs: with {@code --url-signing-key}'s key, else with the key the service derives
     * from its secret, made at the first need (reading it may write the secret, which start-up need not wait for).
     */
    UrlSigner signer() {
        UrlSigner made = signer;
        if (made == null) {
            byte[] configured = config.security().urlSigningKey();
            made = new UrlSigner(configured != null ? configured : service().derivedKey(UrlSigner.KEY_PURPOSE), clock);
            signer = made;
        }
        return made;
    }

    private ThumbnailService service() {
        try {
            return opening.join();
        } catch (CompletionException e) {
            throw notOpened(e);
        }
    }

    /** A request was answered: the first one lets the rest of start-up go on. */
    void answered(String method, String route, int status, float millis) {
        // Before the metrics exist (a /health answered during start-up) this is recorded once they do, on the
        // thread that builds them, so the answer does not wait for them and the request is still counted.
        wiring.thenAccept(w -> w.metrics().recordRequest(method, route, status, millis));
        firstAnswer.complete(null);
    }

    /** Completes once the first request has been answered. */
    CompletableFuture<Void> firstAnswer() {
        return firstAnswer;
    }

    /**
     * The server is stopping: the wiring is no longer made unless a request still needs it, and a body broken off from
     * now on was cut off by the stop ({@link BodyReader#stopping()}).
     */
    void stopWiring() {
        stopped = true;
        wiring.thenAccept(w -> w.bodies().stopping());
    }

    /** The stop will wait no longer for bodies still arriving: each is answered 503 now. */
    void refuseBodiesUnderWay() {
        wiring.thenAccept(w -> w.bodies().refuseUnderWay());
    }

    /** The server has stopped: the wiring, once made, is released. */
    void close() {
        stopped = true;
        wiring.thenAccept(w -> w.metrics().close());
    }

    private void startWiring() {
        if (!wiringStarted.compareAndSet(false, true)) {
            return;
        }
        try {
            ThumbnailService service = opening.join();
            ServerMetrics metrics = new ServerMetrics(service, config.minFreeBytes());
            SecurityConfig security = config.security();
            BodyReader bodies = BodyReader.start(executors.timer(), executors.http(), security.bodyTimeout(),
                    security.minUploadRate());
            UploadReader reader = new UploadReader(config.maxUploadBytes(), security.maxParts(),
                    security.maxHeaderBytes(), bodies, service::newUpload);
            wiring.complete(new Wiring(metrics,
                    new UploadController(service, reader, new UrlRequestReader(config.maxUrlsPerRequest()), admission,
                            waits, config.maxOutputSide(), config.defaultBox(), config.presets(), executors.submits(),
                            executors.http(), this::signer),
                    new ThumbnailController(service, waits, executors.http(), this::signer),
                    new BatchController(service, waits, executors.timer(), executors.http()),
                    new MetricsController(metrics), bodies));
        } catch (RuntimeException | Error e) {
            wiring.completeExceptionally(e);
        }
    }

    /**
     * Its cause is the caller's to report ({@link ServerProcess#serve} logs it and stops the server); a request learns
     * only that.
     */
    private static ThumbnailException notOpened(CompletionException e) {
        return new ThumbnailException(ErrorCode.UNAVAILABLE, "the thumbnail service is not available (it could not"
                + " be opened); try again later", e.getCause());
    }

    static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
