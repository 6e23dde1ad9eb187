package io.thumbnail.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.HeapSizing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code java -jar thumbnail-server.jar [OPTIONS]} serves the REST API;
 * {@code java -jar thumbnail-server.jar thumbnail ...} runs the batch command line instead.
 * Reads the configuration, wires the service to the server, starts, and stops cleanly on SIGTERM.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    /** What {@link #run} returns once the server is up (the JVM then lives until it is stopped). */
    static final int SERVING = -1;

    private static final long TUNING_DELAY_MILLIS = 5_000;
    private static final long JSON_WARM_UP_AT_THE_LATEST_MILLIS = 2_000;

    /** How the service begins the message of a blob store it could not open. */
    private static final String BLOB_STORE_FAILURE = "could not open the blob store ";

    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private Main() {
    }

    public static void main(String[] args) {
        int exit = run(args, System.out, System.err);
        if (exit != SERVING) {
            System.exit(exit);
        }
    }

    /** Dispatches the command line; returns an exit code, or {@link #SERVING}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals(Cli.COMMAND)) {
            return Cli.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        List<String> options = List.of(args);
        if (options.contains("--help") || options.contains("-h")) {
            out.print(ServerConfig.usage());
            return 0;
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(options, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("thumbnail-server: " + e.getMessage());
            return 2;
        }
        return serve(config, err);
    }

    private static int serve(ServerConfig config, PrintStream err) {
        skipJettyMemoryProbe();
        // Startup is two halves of about equal work that need each other only to answer requests: opening the
        // service (SQLite, migrations, recovery) on one thread while the web server starts on this one. Jackson is
        // not needed for the first answer (/health), so it loads on a third thread once the server listens, rather
        // than competing with both halves for the CPU.
        CompletableFuture<ThumbnailService> opening = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                opening.complete(config.serviceBuilder().build());
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "service-open");
        opener.start();
        ThumbnailServer server;
        try {
            server = new ThumbnailServer(opening, config, System::nanoTime).start();
            warmUpJsonAfterFirstAnswer(server);
        } catch (RuntimeException e) {
            closeOnceOpen(opening);
            err.println("thumbnail-server: could not start on " + config.host() + ":" + config.port()
                    + ": " + startFailure(config, e));
            return 1;
        }
        ThumbnailService service;
        try {
            service = opening.join();
        } catch (CompletionException e) {
            server.stop();
            err.println("thumbnail-server: " + openFailure(config, e.getCause()));
            return 1;
        }
        log.info("data in {}, {} workers", config.dataDir().toAbsolutePath().normalize(), config.workers());
        keepHeapGrownSoon();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(server, service), "shutdown"));
        return SERVING;
    }

    /**
     * What SIGTERM does: stop taking requests; close the service, which answers the requests waiting on it (503
     * {@code unavailable}, an event stream's last event) and lets running jobs finish (bounded by its shutdown timeout,
     * 20 s by default) while queued ones stay in the database for the next start; then let the answers go out and stop.
     */
    static void shutDown(ThumbnailServer server, ThumbnailService service) {
        log.info("shutting down");
        server.stopAccepting();
        service.close();
        server.stop();
        log.info("stopped");
    }

    /**
     * Loads Jackson on the side once the first request has been answered (or 2 s after the server listens, if none
     * comes): started as soon as the server listens, its few hundred classes competed on two cores with the service
     * still opening and with that first answer, which (a {@code /health} as a rule) needs no JSON mapper.
     */
    private static void warmUpJsonAfterFirstAnswer(ThumbnailServer server) {
        Thread jsonWarmUp = new Thread(() -> {
            try {
                server.firstAnswer().get(JSON_WARM_UP_AT_THE_LATEST_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // No request yet: warm up now, while the server is idle.
            } catch (InterruptedException e) {
                return;
            }
            ResponseJson.warmUp();
        }, "json-warm-up");
        jsonWarmUp.setDaemon(true);
        jsonWarmUp.start();
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

    /**
     * {@link HeapSizing} 5 s after startup, on a daemon thread: the management classes it needs are tens of
     * milliseconds of work the first answers should not wait for, and it only matters once load comes.
     */
    private static void keepHeapGrownSoon() {
        Thread tuning = new Thread(() -> {
            try {
                Thread.sleep(TUNING_DELAY_MILLIS);
            } catch (InterruptedException e) {
                return; // Shutting down before it ran: nothing to do.
            }
            try {
                HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                long maxHeap = Runtime.getRuntime().maxMemory();
                log.debug("heap sizing: {}", HeapSizing.keepGrown(vm, maxHeap));
                HeapSizing.adaptiveThresholdAdvice(vm, maxHeap).ifPresent(log::warn);
            } catch (RuntimeException | LinkageError e) {
                // A JVM without HotSpot's management bean, or one that refuses the values: G1's own sizing.
                log.warn("could not keep the heap grown: {}", e.toString());
            }
        }, "heap-tuning");
        tuning.setDaemon(true);
        tuning.start();
    }

    /**
     * Why the server could not listen, from the socket's own error: Javalin words every bind failure as "port already
     * in use", also when the host is not an address of this machine or the port needs privileges.
     */
    static String startFailure(ServerConfig config, Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        if (!(cause instanceof BindException)) {
            return failure.getMessage() != null ? failure.getMessage() : failure.toString();
        }
        String reason = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (reason.contains("already in use")) {
            return "port " + config.port() + " is in use by another process";
        }
        if (reason.contains("cannot assign requested address")) {
            return config.host() + " is not an address of this machine";
        }
        if (reason.contains("permission denied")) {
            return "permission denied (ports below 1024 need privileges; use --port 8080 or higher)";
        }
        return reason;
    }

    /**
     * One line: the service's own message names the data directory, or the blob store (to which the flag that chose it
     * is added), and the cause; anything else is given one.
     */
    static String openFailure(ServerConfig config, Throwable failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        int named = message.indexOf(": ");
        if (message.startsWith(BLOB_STORE_FAILURE) && named > 0) {
            return message.substring(0, named) + " (--" + ServerOptions.BLOB_STORE.name() + ")"
                    + message.substring(named);
        }
        return message.startsWith("could not open the data directory ") ? message
                : "could not open the data directory " + config.dataDir().toAbsolutePath().normalize() + ": " + message;
    }

    /** Waits for the service to finish opening and closes it, so a failed start leaves nothing running. */
    private static void closeOnceOpen(CompletableFuture<ThumbnailService> opening) {
        try {
            opening.join().close();
        } catch (CompletionException e) {
            // It did not open either: nothing to close, and the caller reports the error it had first.
        }
    }
}
