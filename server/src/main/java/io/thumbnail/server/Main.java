package io.thumbnail.server;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code java -jar thumbnail-server.jar [OPTIONS]} serves the REST API;
 * {@code java -jar thumbnail-server.jar thumbnail ...} runs the batch command line instead, in a JVM started for it
 * ({@link BatchJvm}).
 * Reads the configuration and hands it to {@link ServerProcess}, which starts the service and the server and stops them
 * cleanly on SIGTERM.
 */
public final class Main {
    /** What {@link #run} returns once the server is up (the JVM then lives until it is stopped). */
    static final int SERVING = -1;

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(Cli.COMMAND)) {
            BatchJvm.logWarningsOnly();
            OptionalInt batch = BatchJvm.run(args);
            if (batch.isPresent()) {
                System.exit(batch.getAsInt());
            }
        }
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
        if (options.equals(List.of("--version"))) {
            out.println("thumbnail-server " + ServerVersion.get());
            return 0;
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(options, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("thumbnail-server: " + e.getMessage());
            return 2;
        }
        return ServerProcess.serve(config, err);
    }
}
