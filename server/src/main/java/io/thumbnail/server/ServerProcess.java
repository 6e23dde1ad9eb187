package io.thumbnail.server;

import io.thumbnail.ThumbnailService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server as {@code java -jar thumbnail-server.jar} runs it: started, and stopped cleanly on SIGTERM. What stops it
 * is in place before anything starts, so a SIGTERM during start-up (a deployment stopped as it comes up, a Ctrl-C)
 * stops what has started so far: the service closes as cleanly as after a day's work.
 */
final class ServerProcess {
    private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);
    private static final long JSON_WARM_UP_AT_THE_LATEST_MILLIS = 2_000;
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    /** How long a stop waits for a service still opening (recovering a large queue, reaching a slow database). */
    private static final Duration OPENING_AT_MOST = Duration.ofSeconds(10);

    private ServerProcess() {
    }

    /**
     * Opens the service while the server starts, and stops both cleanly on SIGTERM. Returns {@link Main#SERVING}, or an
     * exit code if either could not start.
     */
    static int serve(ServerConfig config, PrintStream err) {
        skipJettyMemoryProbe();
        UnknownVariables.in(System.getenv()).forEach((name, meant) -> log.warn("{} is set, but no option reads it{}",
                name, meant.map(option -> "; did you mean " + option + "?").orElse(" (see --help)")));
        try {
            probeAddress(config);
        } catch (IOException e) {
            err.println("thumbnail-server: could not start on " + config.host() + ":" + config.port()
                    + ": " + StartFailures.listen(config, e));
            return 1;
        }
        CompletableFuture<ThumbnailService> opening = new CompletableFuture<>();
        AtomicReference<ThumbnailServer> listening = new AtomicReference<>();
        Thread stop = new Thread(() -> shutDown(listening.get(), opening), "shutdown");
        Runtime.getRuntime().addShutdownHook(stop);
        ServerStartup.daemon("service-open", () -> {
            try {
                opening.complete(config.serviceBuilder().build());
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }).start();
        ThumbnailServer server;
        try {
            // Announced once the service has opened too: a start that fails there never says it is listening.
            server = new ThumbnailServer(opening, config, System::nanoTime).listen(config.host(), config.port());
            listening.set(server);
            warmUpJsonAfterFirstAnswer(server);
        } catch (RuntimeException e) {
            if (withoutHook(stop)) {
                closeOnceOpen(opening);
            }
            err.println("thumbnail-server: could not start on " + config.host() + ":" + config.port()
                    + ": " + StartFailures.listen(config, e));
            return 1;
        }
        ThumbnailService service;
        try {
            service = opening.join();
        } catch (CompletionException e) {
            if (withoutHook(stop)) {
                server.stop();
            }
            err.println("thumbnail-server: " + StartFailures.open(config, e.getCause()));
            return 1;
        }
        server.announce();
        log.info("thumbnail-server {}: data in {}, {} worker{}", ServerVersion.get(),
                config.dataDir().toAbsolutePath().normalize(), config.workers(), config.workers() == 1 ? "" : "s");
        warnOfAnUnreachableFreeSpace(config);
        return Main.SERVING;
    }

    /** A --min-free-bytes larger than the disk keeps /health down for good, which a load balancer takes for dead. */
    private static void warnOfAnUnreachableFreeSpace(ServerConfig config) {
        try {
            long size = Files.getFileStore(config.dataDir()).getTotalSpace();
            if (size > 0 && config.minFreeBytes() > size) {
                log.warn("--min-free-bytes asks for {} bytes free, more than the data directory's disk holds ({}):"
                        + " /health says down until it is lowered", config.minFreeBytes(), size);
            }
        } catch (IOException e) {
            // The disk check itself will say what is wrong with the data directory.
        }
    }

    /**
     * What SIGTERM does: stop taking requests; give the uploads under way up to 5 s to arrive and be accepted; close the
     * service, which answers the requests waiting on it (503 {@code unavailable}, an event stream's last event) and
     * lets running jobs finish (bounded by its shutdown timeout, 20 s by default) while queued ones stay in the
     * database for the next start; then let the answers go out and stop.
     */
    static void shutDown(ThumbnailServer server, ThumbnailService service) {
        shutDown(server, CompletableFuture.completedFuture(service));
    }

    /** As {@link #shutDown(ThumbnailServer, ThumbnailService)}, for a server or service that may still be starting. */
    private static void shutDown(ThumbnailServer server, CompletableFuture<ThumbnailService> opening) {
        log.info("shutting down");
        if (server != null) {
            server.stopAccepting();
        }
        ThumbnailService service = opened(opening);
        if (service != null) {
            // Waiting clients are answered now, to ask again elsewhere or later, and no queued job is started, while
            // uploads under way get their moment to arrive.
            try {
                service.beginClose();
            } catch (RuntimeException e) {
                log.warn("could not begin closing the service: {}", e.toString());
            }
        }
        if (server != null) {
            server.awaitUploads();
        }
        if (service != null) {
            service.close();
        }
        if (server != null) {
            server.stop();
        }
        log.info("stopped");
    }

    /** The service once it has opened; null if it could not be, or is still opening after {@link #OPENING_AT_MOST}. */
    private static ThumbnailService opened(CompletableFuture<ThumbnailService> opening) {
        try {
            return opening.get(OPENING_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return null;
        } catch (TimeoutException e) {
            log.warn("the service was still opening after {}; stopping without closing it", OPENING_AT_MOST);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Binds the address and lets it go again: a port in use or a host that is not this machine's is told before the
     * service opens, which would make a data directory (and run a database's migrations) for a server that cannot
     * start. The web server binds it again a moment later; one taken meanwhile is still told, only later.
     */
    private static void probeAddress(ServerConfig config) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(config.host());
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        }
    }

    /**
     * Takes the SIGTERM hook away from a start that failed, which stops what it started itself and says why in one
     * line; false if a SIGTERM came first and the hook is stopping everything already.
     */
    private static boolean withoutHook(Thread stop) {
        try {
            return Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** Waits for the service to finish opening and closes it, so a failed start leaves nothing running. */
    private static void closeOnceOpen(CompletableFuture<ThumbnailService> opening) {
        try {
            opening.join().close();
        } catch (CompletionException e) {
            // It did not open either: nothing to close, and the caller reports the error it had first.
        }
    }

    /**
     * Loads Jackson on the side once the first request has been answered (or 2 s after the server listens, if none
     * comes): started as soon as the server listens, its few hundred classes competed on two cores with the service
     * still opening and with that first answer, which (a {@code /health} as a rule) needs no JSON mapper.
     */
    private static void warmUpJsonAfterFirstAnswer(ThumbnailServer server) {
        ServerStartup.daemon("json-warm-up", () -> {
            try {
                server.firstAnswer().get(JSON_WARM_UP_AT_THE_LATEST_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // No request yet: warm up now, while the server is idle.
            } catch (InterruptedException e) {
                return;
            }
            ServerJson.warmUp();
        }).start();
    }

    /**
     * Jetty sizes its queue padding by asking the JMX diagnostic bean whether references are compressed, which starts
     * the whole platform MBean server (~150 JDK classes) on the main thread before it can listen. 16 references per
     * line is its answer for compressed references (the default below 32 GB of heap); with wide references it only
     * pads a little more than needed. A value set with -D wins.
     */
    private static void skipJettyMemoryProbe() {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        }
    }
}
