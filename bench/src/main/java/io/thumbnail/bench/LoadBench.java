package io.thumbnail.bench;

import io.thumbnail.testing.BenchInternals;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * End to end under load: starts the server jar as a child process on 127.0.0.1 (fresh data directory, given heap and
 * workers), has C clients upload photos and wait for their thumbnails for T seconds (throughput, latency, the
 * server's CPU per job), then S seconds more while one more thread polls a job's status back to back (status GET
 * rate and latency during processing); samples the server's RSS every 100 ms throughout. The bare pipeline's
 * images/s and CPU per image on the same photos, in a child JVM with the same heap and threads, are measured before
 * and after the server and compared by their mean. Prints one table.
 *
 * <pre>java -cp bench/target/bench.jar io.thumbnail.bench.LoadBench --jar server/target/thumbnail-server.jar \
 *     --clients 4 --seconds 30 --workers 2 --xmx 256m ../shared/corpus/photos</pre>
 *
 * Every upload is a new file (a tagged JPEG comment), so content dedupe never answers without work. Only 127.0.0.1
 * is ever contacted.
 */
public final class LoadBench {
    private LoadBench() {
    }

    /**
     * Everything the table shows. {@code serverCpuMillisPerJob} is the server's CPU time (all threads) during the
     * timed run divided by the jobs done, {@code serverByThread} the same by group of threads (empty without /proc);
     * {@code statusLoad} is the load that ran while the probe polled, and
     * {@code statusServerSide} the probe's requests as the server's access log timed them.
     */
    record Report(LoadOptions options, int photoCount, long photoBytes, double coldStartMillis, LoadRun.Outcome load,
                  double serverCpuMillisPerJob, Map<String, Double> serverByThread, LoadRun.Outcome statusLoad, StatusProbe probe,
                  Latencies statusServerSide, long peakRssBytes, long hwmBytes, Optional<BareRun> bare) {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadBench: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.jar())) {
            System.err.println("LoadBench: no server jar at " + options.jar() + " (build with mvn -B -q package -DskipTests)");
            System.exit(2);
        }
        warnOfRecentDeletions(Path.of(System.getProperty("java.io.tmpdir")), Instant.now());
        try (LoadPhotos.Prepared photos = LoadPhotos.prepare(options)) {
            Report report = run(options, photos.files());
            System.out.print(LoadTable.markdown(report));
            if (options.chart() != null) {
                LoadChart.write(report, options.chart());
                System.out.println("chart: " + options.chart());
            }
        }
    }

    /**
     * Says so when an earlier run deleted its server's files in {@code tmp} minutes ago: on ext4 without a journal the
     * server's request threads then pay for each file they create (up to 0.8 ms a job) until those deletions age out.
     */
    static void warnOfRecentDeletions(Path tmp, Instant now) {
        TempFolders.sinceManyDeleted(tmp, now).filter(ago -> ago.compareTo(TempFolders.RECENT_DELETIONS) < 0)
                .ifPresent(ago -> System.out.printf(Locale.ROOT, "note: a run deleted many files in %s %d s ago; on"
                                + " ext4 without a journal, files created in the next %d minutes cost the request threads"
                                + " more CPU (the inode allocator steps over recently deleted inodes)%n", tmp,
                        ago.toSeconds(), TempFolders.RECENT_DELETIONS.toMinutes()));
    }

    static Report run(LoadOptions o, List<Path> files) throws Exception {
        List<LoadRun.Photo> photos = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            byte[] data = Files.readAllBytes(file);
            bytes += data.length;
            photos.add(LoadRun.Photo.of(file.getFileName().toString(), data));
        }
        System.out.printf(Locale.ROOT, "LoadBench: %d photos (%.1f MB), %d clients, %d s warm-up + %d s timed + %d s"
                        + " with the status probe, server -Xmx%s --workers %d, boxes from %d px%nmachine: %s%n", photos.size(),
                bytes / 1e6, o.clients(), o.warmupSeconds(), o.seconds(), o.statusSeconds(), o.xmx(), o.workers(),
                o.size(), Machine.describe());

        HttpClient http = ThumbnailApi.newClient();
        // The uploads' client is built on a thread at the clients' nice value: its selector thread, which writes the
        // upload bodies, and the executor threads it starts inherit it. The probe gets a client of its own at the
        // default priority (as a status poller in another process would), so it measures the server, not the
        // generator's own threads.
        HttpClient uploadHttp = o.sharedProbeClient() ? http : clientAtNice(o.clientNice());
        if (o.clientNice() > 0) {
            System.out.printf(Locale.ROOT, "load generator: upload clients at nice %d, the status probe at %d%s%n",
                    o.clientNice(), 0, o.sharedProbeClient() ? " (over the upload clients' HttpClient)"
                            : " (over its own HttpClient)");
        }
        if (o.waitInUpload()) {
            System.out.printf(Locale.ROOT, "load generator: uploads ask wait=%d (one request a job)%n",
                    ThumbnailApi.UPLOAD_WAIT_SECONDS);
        }
        System.out.printf(Locale.ROOT, "load generator: uploads send %s%n",
                o.raw() ? "the raw photo (Content-Type: image/jpeg)" : "a multipart form");
        long hwm;
        long peak;
        double coldStart;
        LoadRun.Outcome outcome;
        double cpuPerJob;
        Map<String, Double> serverByThread;
        LoadRun.Outcome statusLoad;
        StatusProbe probe;
        Latencies statusServerSide;
        // The bare pipeline runs before and after the server, and is compared by the mean of both: on a shared VM the
        // same code runs up to a third faster or slower a few minutes apart.
        Optional<BareRun> bareBefore = o.bare() ? BareRun.measure(o, files) : Optional.empty();
        // All clients share one address: the per-address rate limits (submissions and reads) would measure
        // themselves, not the server, so they are off; 429s still count queue_full.
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx" + o.xmx()));
        jvmArgs.addAll(o.serverJvmArgs());
        try (ServerProcess server = ServerProcess.launch(o.jar(), jvmArgs,
                List.of("--workers", String.valueOf(o.workers()), "--rate-limit", "off", "--read-rate-limit", "off"))) {
            try (RssSampler rss = new RssSampler(server)) {
                coldStart = server.awaitHealthy(http, Duration.ofSeconds(60), 10) / 1e6;
                System.out.printf(Locale.ROOT, "server pid %d answered /health %.0f ms after launch%n", server.pid(),
                        coldStart);
                ThumbnailApi api = new ThumbnailApi(uploadHttp, server::uri, o.waitInUpload(), o.raw());
                LoadRun load = new LoadRun(api, new ThumbnailVariants(o.size()), photos, o.clients(), o.clientNice());
                // Warm-up: the JIT compiles the server's paths; at least one job, so the probe has one to ask about.
                // The probe runs in it too (not counted), from the first job done on: otherwise both JVMs compile
                // the status path during the measured probe, and the JIT takes a third of a core in each.
                ThumbnailApi probeApi = new ThumbnailApi(http, server::uri);
                AtomicBoolean warming = new AtomicBoolean(true);
                AtomicReference<StatusProbe> warmProbe = new AtomicReference<>();
                Thread warmProbeThread = new Thread(() -> {
                    try {
                        while (warming.get() && load.knownDoneJob() == null) {
                            Thread.sleep(50);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    String job = load.knownDoneJob();
                    if (job != null) {
                        StatusProbe unmeasured = new StatusProbe(probeApi, job, o.statusIntervalMillis(), 5_000_000);
                        warmProbe.set(unmeasured);
                        if (warming.get()) {
                            unmeasured.run();
                        }
                    }
                }, "status-probe-warm-up");
                warmProbeThread.start();
                LoadRun.Outcome warm = load.run(Duration.ofSeconds(o.warmupSeconds()), 100_000);
                warming.set(false);
                if (warmProbe.get() != null) {
                    warmProbe.get().stop();
                }
                warmProbeThread.join(TimeUnit.SECONDS.toMillis(60));
                if (load.knownDoneJob() == null) {
                    warm = load.run(Duration.ofSeconds(60), 1);
                }
                if (load.knownDoneJob() == null) {
                    throw new IllegalStateException("no job finished done during the warm-up; see " + server.log()
                            + "\n" + tail(server.log()));
                }
                System.out.printf(Locale.ROOT, "warm-up: %d jobs done, %d failed in %.1f s; %d status GETs (not"
                                + " counted)%n", warm.done(), warm.failed(), warm.seconds(),
                        warmProbe.get() == null ? 0 : warmProbe.get().latencies().count());

                // Throughput first, alone: the probe would take CPU from the workers on a small machine.
                long cpu = server.cpuMillis();
                long generatorCpu = JvmCpu.processNanos();
                ThreadCpu.Sample threads = ThreadCpu.of(server.pid());
                outcome = load.run(Duration.ofSeconds(o.seconds()), o.maxJobs());
                ThreadCpu.Sample threadsAfter = ThreadCpu.of(server.pid());
                long cpuUsed = server.cpuMillis() - cpu;
                generatorCpu = JvmCpu.processNanos() - generatorCpu;
                cpuPerJob = cpuUsed / (double) Math.max(1, outcome.done());
                serverByThread = ThreadCpu.perJobByGroup(threads, threadsAfter, outcome.done(), cpuUsed, "other");
                System.out.printf(Locale.ROOT, "timed run: %d jobs done in %.1f s; server CPU per job by thread: %s%n",
                        outcome.done(), outcome.seconds(),
                        ThreadCpu.perJob(threads, threadsAfter, outcome.done(), cpuUsed, "other"));
                // On the same cores as the server: CPU the server could not have, whatever it did.
                System.out.printf(Locale.ROOT, "load generator's own CPU per job (same cores): %.1f ms%n",
                        generatorCpu / 1e6 / Math.max(1, outcome.done()));

                // Then the same load again while one more thread polls a finished job's status.
                probe = new StatusProbe(probeApi, load.knownDoneJob(), o.statusIntervalMillis(), 5_000_000);
                Thread probeThread = new Thread(probe, "status-probe");
                GcPauses generatorGc = GcPauses.take();
                probeThread.start();
                try {
                    statusLoad = load.run(Duration.ofSeconds(o.statusSeconds()), o.maxJobs());
                } finally {
                    probe.stop();
                    probeThread.join(TimeUnit.SECONDS.toMillis(60));
                }
                // The probe's thread stops with the rest of this JVM for each of its collections.
                System.out.printf(Locale.ROOT, "load generator's own GC during the probe: %s%n",
                        GcPauses.take().since(generatorGc));
                statusServerSide = AccessLogTimes.of(server.log(), "/api/v1/thumbnails/" + probe.jobId());
                hwm = server.procStatusBytes("VmHWM").orElse(0);
                peak = rss.peakBytes();
            }
        }
        Optional<BareRun> bareAfter = o.bare() ? BareRun.measure(o, files) : Optional.empty();
        Optional<BareRun> bare = bareBefore.flatMap(before -> bareAfter.map(after -> {
            System.out.printf(Locale.ROOT, "bare pipeline before the server: %.2f images/s, %.2f CPU ms each; after:"
                            + " %.2f images/s, %.2f CPU ms each; compared below: their mean%n", before.imagesPerSecond(),
                    before.cpuMillisEach(), after.imagesPerSecond(), after.cpuMillisEach());
            return BareRun.mean(before, after);
        }));
        return new Report(o, photos.size(), bytes, coldStart, outcome, cpuPerJob, serverByThread, statusLoad, probe, statusServerSide,
                peak, hwm, bare);
    }

    /** A new client built on a thread that first lowered itself to {@code nice} (none when 0). */
    private static HttpClient clientAtNice(int nice) throws InterruptedException {
        if (nice == 0) {
            return ThumbnailApi.newClient();
        }
        HttpClient[] built = new HttpClient[1];
        Thread builder = new Thread(() -> {
            if (!BenchInternals.lowerCurrentThread(nice)) {
                System.out.println("load generator: could not lower the upload clients' priority; they run at the"
                        + " probe's");
            }
            built[0] = ThumbnailApi.newClient();
        }, "load-client-builder");
        builder.start();
        builder.join();
        return built[0];
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
