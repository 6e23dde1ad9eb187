package io.thumbnail.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link LoadBench}'s command line, validated. */
record LoadOptions(Path jar, int clients, int seconds, int statusSeconds, int warmupSeconds, long maxJobs, int workers, String xmx,
                   int size, long statusIntervalMillis, int clientNice, boolean sharedProbeClient, boolean waitInUpload, boolean raw, int synth, boolean large, boolean bare, Path chart, List<String> serverJvmArgs,
                   List<Path> photos) {

    static final String USAGE = """
            usage: java -cp bench/target/bench.jar io.thumbnail.bench.LoadBench [OPTIONS] [DIR|FILE]...
              --jar PATH              server jar (default server/target/thumbnail-server.jar)
              --clients C             concurrent upload clients (default 4)
              --seconds T             timed throughput run (default 30)
              --status-seconds S      then S more seconds of load with one thread polling a job's status (default 10)
              --warmup S              untimed load first (default 60: the server's JIT compiles for about a minute,
                                      and a shorter warm-up bills its compilation to the timed run); the bare
                                      pipeline's warm-up is the same, at most 20 s
              --no-bare               skip the bare pipeline measurement (run before and after the server)
              --max-jobs N            most jobs in the timed run (default 100000)
              --workers W             server --workers, and the bare pipeline's threads (default 2)
              --xmx SIZE              -Xmx of the server and of the bare pipeline's JVM (default 256m)
              --size PX               the smallest thumbnail box (default 100): each use of a photo asks a square
                                      box of PX to PX+19, JPEG quality 60 to 99, and nudges the photo's DC
                                      quantiser, so that no thumbnail is made twice
              --status-interval-ms N  pause between status GETs (default 0: back to back)
              --client-nice N         nice value of the upload clients' threads (Linux; default 10, 0 to keep them
                                      at the probe's priority), so the probe measures the server, not the generator
              --shared-probe-client   the probe sends over the upload clients' HttpClient (default: its own)
              --wait-in-upload        uploads ask wait=30 and are answered once the job is done: one request a job
                                      instead of an upload and a long-poll of the job (both are the API's ways)
              --raw                   uploads send the photo itself as the body (Content-Type: image/jpeg, options
                                      in the query) instead of a multipart form (both are the API's ways)
              --photos DIR            upload the JPEGs of this folder (repeatable; the same as naming it last)
              --synth N               generate N photo-like 20 MP JPEGs (5472x3648) and upload those
              --large                 of the photos named, upload those of 8 MP or more, each also as a progressive
                                      copy, with a 20 MP baseline and progressive pair made from the largest: the
                                      large camera JPEGs the pipeline benchmark measures
              --chart FILE.png        draw the results as a PNG chart
              --server-jvm-arg ARG    one more JVM option for the server (repeatable), e.g. a JFR recording
            Photos: JPEG files or folders of them (default $THUMBNAIL_CORPUS/photos, or none with --synth).
            """;

    LoadOptions {
        positive("clients", clients);
        positive("seconds", seconds);
        positive("status-seconds", statusSeconds);
        positive("workers", workers);
        positive("size", size);
        if (clientNice < 0 || clientNice > 19) {
            throw new IllegalArgumentException("--client-nice must be between 0 and 19 (was " + clientNice + ")");
        }
        if (warmupSeconds < 0 || statusIntervalMillis < 0 || synth < 0 || maxJobs < 1) {
            throw new IllegalArgumentException("--warmup, --status-interval-ms and --synth must be 0 or more,"
                    + " --max-jobs 1 or more");
        }
        if (!xmx.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--xmx must be a heap size such as 256m (was '" + xmx + "')");
        }
        serverJvmArgs = List.copyOf(serverJvmArgs);
        photos = List.copyOf(photos);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be 1 or more (was " + value + ")");
        }
    }

    static LoadOptions parse(String[] args) {
        Path jar = Path.of("server", "target", "thumbnail-server.jar");
        int clients = 4;
        int seconds = 30;
        int statusSeconds = 10;
        int warmup = 60;
        long maxJobs = 100_000;
        int workers = 2;
        String xmx = "256m";
        int size = 100;
        long interval = 0;
        int clientNice = 10;
        boolean sharedProbeClient = false;
        boolean waitInUpload = false;
        boolean raw = false;
        int synth = 0;
        boolean large = false;
        boolean bare = true;
        Path chart = null;
        List<String> serverJvmArgs = new ArrayList<>();
        List<Path> photos = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--no-bare")) {
                bare = false;
                continue;
            }
            if (arg.equals("--shared-probe-client")) {
                sharedProbeClient = true;
                continue;
            }
            if (arg.equals("--large")) {
                large = true;
                continue;
            }
            if (arg.equals("--wait-in-upload")) {
                waitInUpload = true;
                continue;
            }
            if (arg.equals("--raw")) {
                raw = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                photos.add(Path.of(arg));
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--jar" -> jar = Path.of(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--status-seconds" -> statusSeconds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--max-jobs" -> maxJobs = Long.parseLong(value);
                case "--workers" -> workers = Integer.parseInt(value);
                case "--xmx" -> xmx = value;
                case "--size" -> size = Integer.parseInt(value);
                case "--status-interval-ms" -> interval = Long.parseLong(value);
                case "--client-nice" -> clientNice = Integer.parseInt(value);
                case "--synth" -> synth = Integer.parseInt(value);
                case "--photos" -> photos.add(Path.of(value));
                case "--chart" -> chart = Path.of(value);
                case "--server-jvm-arg" -> serverJvmArgs.add(value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new LoadOptions(jar, clients, seconds, statusSeconds, warmup, maxJobs, workers, xmx, size, interval,
                clientNice, sharedProbeClient, waitInUpload, raw, synth, large, bare, chart, serverJvmArgs, photos);
    }
}
