package io.thumbnail.server;

import io.thumbnail.ThumbnailService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar thumbnail-server.jar [OPTIONS]} serves the REST API;
 * {@code java -jar thumbnail-server.jar thumbnail ...} runs the batch command line instead.
 * Reads the configuration, wires the service to the server, starts, and stops cleanly on SIGTERM.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(Cli.COMMAND)) {
            System.exit(Cli.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        List<String> options = List.of(args);
        if (options.contains("--help") || options.contains("-h")) {
            System.out.print(ServerConfig.usage());
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(options, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("thumbnail-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        serve(config);
    }

    private static void serve(ServerConfig config) {
        ThumbnailService service = config.serviceBuilder().build();
        ThumbnailServer server;
        try {
            server = new ThumbnailServer(service, config).start();
        } catch (RuntimeException e) {
            service.close();
            System.err.println("thumbnail-server: could not start on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage());
            System.exit(1);
            return;
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
    }
}
