package io.thumbnail.server;

import io.thumbnail.ThumbnailService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar thumbnail-server.jar [OPTIONS]} serves the REST API;
 * {@code java -jar thumbnail-server.jar thumbnail ...} runs the batch command line instead.
 * Reads the configuration, wires the service to the server, starts, and stops cleanly on SIGTERM.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    /** What {@link #run} returns once the server is up (the JVM then lives until it is stopped). */
    static final int SERVING = -1;

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
        // Jackson's start-up work is independent of the database: it runs on the side while the service opens.
        Thread jsonWarmUp = new Thread(ResponseJson::warmUp, "json-warm-up");
        jsonWarmUp.setDaemon(true);
        jsonWarmUp.start();
        ThumbnailService service;
        try {
            service = config.serviceBuilder().build();
        } catch (RuntimeException e) {
            err.println("thumbnail-server: could not open the data directory " + config.dataDir() + ": " + e.getMessage());
            return 1;
        }
        ThumbnailServer server;
        try {
            server = new ThumbnailServer(service, config).start();
        } catch (RuntimeException e) {
            service.close();
            err.println("thumbnail-server: could not start on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage());
            return 1;
        }
        log.info("data in {}, {} workers", config.dataDir().toAbsolutePath().normalize(), config.workers());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Stop taking requests first, then let the service finish running jobs (bounded by its
            // shutdown timeout, 20 s by default); queued jobs stay in the database for the next start.
            log.info("shutting down");
            server.stop();
            service.close();
            log.info("stopped");
        }, "shutdown"));
        return SERVING;
    }
}
