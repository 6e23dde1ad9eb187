package io.thumbnail.bench;

import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cold start: from launching {@code java -jar thumbnail-server.jar --host 127.0.0.1 --port P --data-dir TMP} to the
 * first 200 from {@code GET /health}, polled every 5 ms; N runs, each with a fresh data directory; prints every run
 * and the median, with the CPU time the server used to get there (all threads; steadier than wall time on a busy
 * machine, but JIT and GC threads count too). {@code --server-arg} passes options to the server, such as a
 * {@code --blob-store} (whose keys the server reads from this process's environment).
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.ColdStart [--jar server/target/thumbnail-server.jar]
 *     [--runs 5] [--jvm-arg -XX:TieredStopAtLevel=1]... [--server-arg --blob-store --server-arg s3://...]...</pre>
 */
public final class ColdStart {
    private static final double TARGET_MILLIS = 1000;

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("server", "target", "thumbnail-server.jar");
        int runs = 5;
        List<String> jvmArgs = new ArrayList<>();
        List<String> serverArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) {
                usage("missing value after " + args[i]);
            }
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                case "--server-arg" -> serverArgs.add(args[++i]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(jar) || runs < 1) {
            usage(runs < 1 ? "--runs must be 1 or more" : "no server jar at " + jar);
        }
        HttpClient client = ThumbnailApi.newClient();
        warmUp(client);
        System.out.printf(Locale.ROOT, "ColdStart: java %s-jar %s%s, %d runs%nmachine: %s%n",
                jvmArgs.isEmpty() ? "" : String.join(" ", jvmArgs) + " ", jar,
                serverArgs.isEmpty() ? "" : " " + String.join(" ", serverArgs), runs, Machine.describe());
        double[] millis = new double[runs];
        double[] cpu = new double[runs];
        for (int run = 0; run < runs; run++) {
            try (ServerProcess server = ServerProcess.launch(jar, jvmArgs, serverArgs)) {
                millis[run] = server.awaitHealthy(client, Duration.ofSeconds(60), 5) / 1e6;
                cpu[run] = server.cpuMillis();
            }
            System.out.printf(Locale.ROOT, "run %d: %.0f ms from launch to the first /health 200 (server CPU %.0f ms)%n",
                    run + 1, millis[run], cpu[run]);
        }
        Arrays.sort(cpu);
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        System.out.printf(Locale.ROOT, "cold start: median %.0f ms, min %.0f ms, max %.0f ms over %d runs"
                + " (target < %.0f ms: %s); server CPU to that point: median %.0f ms%n", median, sorted[0],
                sorted[runs - 1], runs, TARGET_MILLIS, median < TARGET_MILLIS ? "met" : "NOT met", cpu[runs / 2]);
    }

    /** Loads and links this JVM's HTTP client classes first, so the first real answer is not charged for them. */
    private static void warmUp(HttpClient client) throws Exception {
        HttpServer local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        local.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + local.getAddress().getPort() + "/health");
            for (int i = 0; i < 20; i++) {
                client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding());
            }
        } finally {
            local.stop(0);
        }
    }

    private static void usage(String problem) {
        System.err.println("ColdStart: " + problem);
        System.err.println("usage: ColdStart [--jar PATH] [--runs N] [--jvm-arg ARG]... [--server-arg ARG]...");
        System.exit(2);
    }
}
