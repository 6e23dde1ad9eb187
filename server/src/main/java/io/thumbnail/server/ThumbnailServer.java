package io.thumbnail.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JettyConfig;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.http.ErrorResponses;
import io.thumbnail.server.internal.http.JettyErrorHandler;
import io.thumbnail.server.internal.http.RequestExecutors;
import io.thumbnail.server.internal.security.AccessGuard;
import io.thumbnail.server.internal.security.AuthFailureLimit;
import io.thumbnail.server.internal.security.ConnectionGuard;
import io.thumbnail.server.internal.security.RateLimiter;
import io.thumbnail.server.internal.security.SecurityHeaders;
import io.thumbnail.server.internal.security.UploadAdmission;
import io.thumbnail.server.internal.security.WaitLimit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The HTTP face of a {@link ThumbnailService}: builds the Javalin app with every route and the one error mapper.
 * It holds no image or job logic; it owns its metrics but not the service, which the caller closes.
 *
 * <pre>{@code
 * ThumbnailServer server = new ThumbnailServer(service, config).start(0);   // port 0: any free port
 * ... http://127.0.0.1:server.port()/api/v1/thumbnails ...
 * server.stopAccepting();   // no new requests; those in flight go on
 * service.beginClose();     // waiting requests answered now (503, or 202 for an upload already accepted)
 * server.awaitUploads();    // uploads under way get up to 5 s to arrive and be accepted
 * service.close();          // running jobs finish; queued ones stay for the next start
 * server.stop();            // requests still in flight finish, then the server stops
 * }</pre>
 */
public final class ThumbnailServer {
    private static final Logger log = LoggerFactory.getLogger(ThumbnailServer.class);
    private static final int INPUT_BUFFER_BYTES = 64 * 1024;
    /**
     * How long a stop waits for the uploads still arriving ({@link #awaitUploads()}), and {@link #stop()} for the
     * requests in flight before it closes their connections.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final RequestExecutors executors;
    private final ServerStartup startup;
    private final RouteTable routeTable;
    private final UploadAdmission admission;
    private final Duration stopGrace;
    private final Javalin app;
    /** The host {@link #listen} was given, as {@link #announce} shows it. */
    private String listeningHost;
    /** Counts the requests in flight; once shut down, answers new ones 503 {@code unavailable}. */
    private final GracefulHandler inFlight = new GracefulHandler();

    public ThumbnailServer(ThumbnailService service, ServerConfig config) {
        this(CompletableFuture.completedFuture(service), config, System::nanoTime);
    }

    /** @param nanoTime the time source of the rate limiters */
    ThumbnailServer(ThumbnailService service, ServerConfig config, LongSupplier nanoTime) {
        this(CompletableFuture.completedFuture(service), config, nanoTime);
    }

    /**
     * @param nanoTime  the time source of the rate limiters
     * @param clock     the time signed URLs are made and checked by
     * @param stopGrace how long a stop waits for uploads still arriving, then for requests in flight
     */
    ThumbnailServer(ThumbnailService service, ServerConfig config, LongSupplier nanoTime, Clock clock,
                    Duration stopGrace) {
        this(CompletableFuture.completedFuture(service), config, nanoTime, clock, stopGrace);
    }

    /**
     * A server that may start listening while {@code opening} is still opening the service ({@link ServerStartup}
     * overlaps the two halves of start-up this way). Requests wait for the service; if it fails to open they are
     * answered 503, and the caller stops the server.
     *
     * @param nanoTime the time source of the rate limiters
     */
    ThumbnailServer(CompletableFuture<ThumbnailService> opening, ServerConfig config, LongSupplier nanoTime) {
        this(opening, config, nanoTime, Clock.systemUTC(), STOP_GRACE);
    }

    /**
     * As {@link #ThumbnailServer(CompletableFuture, ServerConfig, LongSupplier)}, signed URLs made and checked by
     * {@code clock}, a stop waiting {@code stopGrace} for uploads still arriving, then for requests in flight.
     */
    ThumbnailServer(CompletableFuture<ThumbnailService> opening, ServerConfig config, LongSupplier nanoTime,
                    Clock clock, Duration stopGrace) {
        this.config = config;
        this.stopGrace = stopGrace;
        SecurityConfig security = config.security();
        this.executors = new RequestExecutors(Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.admission = new UploadAdmission(security.maxUploads(), security.maxUploadsPerClient(),
                security.maxInflightBytes());
        this.startup = new ServerStartup(opening, config, new WaitLimit(security.maxWaiting()), admission, executors,
                clock);
        AccessGuard guard = new AccessGuard(security.apiKeys(), security.metricsKeySha256(),
                security.rateLimit() > 0 ? new RateLimiter(security.rateLimit(), security.rateBurst(), nanoTime) : null,
                security.readRateLimit() > 0
                        ? new RateLimiter(security.readRateLimit(), security.readRateBurst(), nanoTime) : null,
                security.maxAuthFailures() > 0 ? new AuthFailureLimit(security.maxAuthFailures(), nanoTime) : null,
                startup::signer);
        this.routeTable = new RouteTable(startup, guard,
                new ErrorResponses(config.maxUploadBytes(), security.maxParts()));
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new ServerJson());
            cfg.http.prefer405over404 = true;
            // No gzip: answers are small JSON, images are compressed already, and a compressed answer without
            // Vary: Accept-Encoding could be served from a shared cache to a client that cannot read it. A reverse
            // proxy compresses, and varies, as it is configured to.
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.http.maxRequestSize = config.maxUploadBytes();
            cfg.jetty.threadPool = executors.http();
            limitConnections(cfg.jetty, security);
            cfg.jetty.modifyServer(server -> server.insertHandler(inFlight));
            cfg.requestLogger.http(new RequestLog(startup, cfg.unsafe)::answered);
            routeTable.register(cfg);
        });
    }

    /** Starts on the configured host and port. */
    public ThumbnailServer start() {
        return start(config.host(), config.port());
    }

    /** Starts on all interfaces; port 0 picks a free port, see {@link #port()}. */
    public ThumbnailServer start(int port) {
        return start(config.host(), port);
    }

    /** Starts on {@code host} and {@code port}, and says so in the log. */
    public ThumbnailServer start(String host, int port) {
        return listen(host, port).announce();
    }

    /** Starts on {@code host} and {@code port} without a word, for a caller that {@link #announce}s it later. */
    ThumbnailServer listen(String host, int port) {
        app.start(host, port);
        listeningHost = host;
        return this;
    }

    /** Logs whether the API needs keys, and where it listens. */
    ThumbnailServer announce() {
        if (config.security().apiKeys().isEmpty()) {
            log.warn(accessSummary(config.security()));
        } else {
            log.info(accessSummary(config.security()));
        }
        log.info("thumbnail server listening on {} (upload page at /, API docs at /docs)",
                address(listeningHost, app.port()));
        return this;
    }

    /** The server's URL for a user to open: {@code localhost} for every address, an IPv6 one in brackets. */
    static String address(String host, int port) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port + "/";
    }

    /** The startup line saying whether the API needs keys. */
    static String accessSummary(SecurityConfig security) {
        return security.apiKeys().isEmpty()
                ? "running open: no API keys configured; anyone who can reach the port can use the API"
                : "API keys: " + security.apiKeys().size() + " configured";
    }

    /** The port it listens on (the real one after {@code start(0)}). */
    public int port() {
        return app.port();
    }

    /**
     * Every operation as {@code "METHOD /path"}, as registered with Javalin, but the event stream's HEAD, which only
     * answers 405.
     */
    public List<String> routes() {
        return routeTable.operations();
    }

    /** Completes once the first request has been answered (logged). */
    public CompletableFuture<Void> firstAnswer() {
        return startup.firstAnswer();
    }

    /** Requests being answered now, from their arrival until their response is complete (tests). */
    long requestsInFlight() {
        return inFlight.getCurrentRequestCount();
    }

    /**
     * Stops taking requests: closes the listening sockets, and answers a request that still arrives on an open
     * connection 503 {@code unavailable}. Requests in flight go on; {@link #stop()} waits for them.
     */
    public void stopAccepting() {
        startup.stopWiring();
        if (!app.jettyServer().started()) {
            return;
        }
        // New requests are refused first: once a client sees the port closed, every request it still sends on an open
        // connection is answered 503, never served as if nothing were happening.
        inFlight.shutdown();
        // A connector shut down closes its listening socket and answers with Connection: close from then on, so no
        // client keeps sending on a connection to a server that is going away.
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            connector.shutdown();
        }
    }

    /** Uploads under way now: admitted, not yet submitted or refused. */
    int uploadsInFlight() {
        return admission.uploads();
    }

    /**
     * Waits up to 5 s (the stop grace) for the uploads in flight to be submitted (their bodies arriving, then stored):
     * called after {@link #stopAccepting()} and before the service closes, so an upload under way when the server is
     * told to stop is accepted rather than refused. A body still arriving then is answered 503 {@code unavailable} with
     * {@code Retry-After} at once, while its connection can still carry the answer.
     */
    public void awaitUploads() {
        try {
            if (!admission.awaitNone(stopGrace)) {
                log.warn("uploads still arriving after {}; they are answered 503 to be sent again", stopGrace);
                startup.refuseBodiesUnderWay();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            startup.refuseBodiesUnderWay();
        }
    }

    /**
     * Stops accepting requests, lets the ones in flight finish for up to 5 s, then stops, and releases the metrics.
     * A request waiting on the service ({@code wait=N}, an event stream) ends when the service closes: close it
     * between {@link #stopAccepting()} and this, or the wait is cut off with its connection.
     */
    public void stop() {
        stopAccepting();
        try {
            inFlight.shutdown().get(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("requests still in flight after {}; closing their connections", stopGrace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("could not wait for the requests in flight: {}", e.getCause().toString());
        }
        app.stop();
        executors.close();
        startup.close();
    }

    /** The limits Jetty enforces before a handler runs, and the headers every response carries. */
    private static void limitConnections(JettyConfig jetty, SecurityConfig security) {
        jetty.modifyServer(server -> {
            server.setErrorHandler(new JettyErrorHandler(security.maxHeaderBytes()));
            server.addBean(new ConnectionGuard(server, security.idleTimeout(), security.headerTimeout(),
                    security.maxConnectionsPerAddress()));
        });
        jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(security.maxHeaderBytes());
            // Uploads are photos of a few MB: 64 KB reads take an eighth of the syscalls, parser passes and
            // multipart chunks of Jetty's 8 KB default, CPU taken from the same cores as the workers.
            http.setInputBufferSize(INPUT_BUFFER_BYTES);
            http.setSendServerVersion(false);
            http.addCustomizer(new SecurityHeaders());
        });
        // Jetty counts multipart parts against the context's form-key limit.
        jetty.modifyServletContextHandler(context -> context.setMaxFormKeys(security.maxParts()));
    }
}
