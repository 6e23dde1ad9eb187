package io.thumbnail.bench;

import io.thumbnail.s3.LocalS3;
import io.thumbnail.testing.ClaimPath;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Several nodes of the server jar, as black boxes, on one PostgreSQL and one S3 endpoint: one node with 2 workers,
 * two nodes with 1 worker each pinned to a core of its own ({@code taskset -c N}), and three nodes with 1 worker each
 * left to the scheduler. Each layout gets a fresh database and bucket, a warm-up, then {@code --jobs} uploads of the
 * given photos (each made a new file, so dedupe never answers one, and a variant whose thumbnail is new too:
 * {@link ThumbnailVariants}) sent round-robin to its nodes by 4 clients, and waited for. Prints jobs/s (first upload to last job done), the nodes' CPU per job and the database's, from
 * {@code /proc}; then the claim path's own throughput on the same PostgreSQL (no image work, as {@link ClaimBench}).
 *
 * <pre>AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret java -cp bench/target/bench.jar
 *     io.thumbnail.bench.NodesBench --jar server/target/thumbnail-server.jar [--jobs 120] [--warmup 30] [--rounds 2] PHOTO_DIR</pre>
 *
 * The S3 endpoint (s3proxy over a temporary folder) runs in this JVM and takes the keys the nodes are given.
 */
public final class NodesBench {
    private static final int SIZE = 200;
    private static final int CLIENTS = 4;
    private static final ThumbnailVariants VARIANTS = new ThumbnailVariants(SIZE);

    private record Layout(String name, int nodes, int workers, boolean pinned) {
    }

    private record Result(double jobsPerSecond, double nodeCpuMsPerJob, double databaseCpuMsPerJob,
                          double benchCpuMsPerJob) {
    }

    private NodesBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        Path photos = null;
        int jobs = 120;
        int warmup = 30;
        int rounds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> photos = Path.of(args[i]);
            }
        }
        if (jar == null || photos == null) {
            System.err.println("usage: NodesBench --jar server/target/thumbnail-server.jar [--jobs 120] [--warmup 30] [--rounds 2]"
                    + " PHOTO_DIR");
            System.exit(2);
        }
        List<LoadRun.Photo> images = photos(photos);
        boolean taskset = Files.isExecutable(Path.of("/usr/bin/taskset"))
                && Runtime.getRuntime().availableProcessors() >= 2;
        List<Layout> layouts = List.of(new Layout("1 node x 2 workers", 1, 2, false),
                new Layout("2 nodes x 1 worker, pinned", 2, 1, taskset),
                new Layout("3 nodes x 1 worker, unpinned", 3, 1, false));

        Path s3Folder = Files.createTempDirectory("nodes-bench-s3");
        try (BenchPostgres postgres = BenchPostgres.start("nodes-bench"); LocalS3 s3 = LocalS3.start(s3Folder)) {
            System.out.printf(Locale.ROOT, "NodesBench: %d photos of %s, %d jobs per layout after %d warm-up jobs per"
                            + " node, %d px, %d clients; PostgreSQL %s (embedded, fsync on), s3proxy in the bench JVM%n"
                            + "machine: %s%s%n", images.size(), photos, jobs, warmup, SIZE, CLIENTS,
                    postgres.version(), Machine.describe(), taskset ? "" : " (no taskset: nothing pinned)");
            System.out.println("round layout                    jobs/s   node CPU ms/job   database CPU ms/job"
                    + "   s3proxy+clients CPU ms/job");
            int n = 0;
            // Rounds go through every layout in turn, so that none gains from running later (the bench JVM's
            // s3proxy warms up in the first) or loses to a slower minute of a shared machine.
            for (int round = 1; round <= rounds; round++) {
                for (Layout layout : layouts) {
                    n++;
                    String bucket = "nodes-" + n;
                    s3.createBucket(bucket);
                    Result r = run(layout, jar, postgres, postgres.newDatabase("nodes_" + n),
                            s3.location(bucket, ""), images, jobs, warmup);
                    System.out.printf(Locale.ROOT, "%d %-30s  %6.2f   %15.0f   %19.1f   %26.1f%n", round,
                            layout.name(), r.jobsPerSecond(), r.nodeCpuMsPerJob(), r.databaseCpuMsPerJob(),
                            r.benchCpuMsPerJob());
                }
            }
            try (ClaimPath store = ClaimPath.open(postgres.newDatabase("claims"), "bench")) {
                ClaimBench.run(store, 2_000, 2); // warm-up
                double[] claims = ClaimBench.run(store, 10_000, 2);
                System.out.printf(Locale.ROOT, "claim path (2 claimers, no image work): %.0f jobs/s, client CPU %.0f"
                        + " us/job%n", claims[0], claims[1]);
            }
        } finally {
            try (Stream<Path> files = Files.walk(s3Folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Result run(Layout layout, Path jar, BenchPostgres postgres, String database, String blobStore,
                              List<LoadRun.Photo> images, int jobs, int warmup) throws Exception {
        List<ServerProcess> nodes = new ArrayList<>();
        HttpClient client = ThumbnailApi.newClient();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int i = 0; i < layout.nodes(); i++) {
                List<String> prefix = layout.pinned() ? List.of("taskset", "-c", String.valueOf(i)) : List.of();
                nodes.add(ServerProcess.launch(prefix, jar, List.of("-Xmx512m"), List.of("--database", database,
                        "--blob-store", blobStore, "--node-id", "n" + (i + 1), "--workers",
                        String.valueOf(layout.workers()), "--rate-limit", "off", "--read-rate-limit", "off")));
            }
            for (ServerProcess node : nodes) {
                node.awaitHealthy(client, Duration.ofSeconds(120), 100);
            }
            List<ThumbnailApi> apis = nodes.stream().map(node -> new ThumbnailApi(client, node::uri)).toList();
            AtomicInteger sequence = new AtomicInteger();
            submitAndWait(clients, apis, images, warmup * nodes.size(), layout.name() + "-warm", sequence);

            long[] cpu = nodes.stream().mapToLong(ServerProcess::cpuMillis).toArray();
            long database0 = postgres.cpuMillis();
            long bench0 = JvmCpu.processNanos();
            long started = System.nanoTime();
            submitAndWait(clients, apis, images, jobs, layout.name(), sequence);
            double seconds = (System.nanoTime() - started) / 1e9;
            long nodeCpu = 0;
            for (int i = 0; i < nodes.size(); i++) {
                nodeCpu += nodes.get(i).cpuMillis() - cpu[i];
            }
            return new Result(jobs / seconds, (double) nodeCpu / jobs,
                    (double) (postgres.cpuMillis() - database0) / jobs, (JvmCpu.processNanos() - bench0) / 1e6 / jobs);
        } finally {
            clients.shutdownNow();
            for (ServerProcess node : nodes) {
                node.close();
            }
        }
    }

    /** {@code count} uploads, round-robin over the nodes, by the clients; returns once every job is done. */
    private static void submitAndWait(ExecutorService clients, List<ThumbnailApi> apis, List<LoadRun.Photo> images,
                                      int count, String tag, AtomicInteger sequence) throws Exception {
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = sequence.getAndIncrement();
            ThumbnailApi api = apis.get(k % apis.size());
            LoadRun.Photo photo = images.get(k % images.size());
            // The k-th use of a photo in a layout asks its k-th variant: as distinct photos' would, every thumbnail
            // is new, so each job writes one to the bucket.
            long use = k / images.size();
            ids.add(clients.submit(() -> {
                ThumbnailApi.Answer answer = api.upload(UniqueJpeg.prefix(tag + "-" + k),
                        photo.variant(VARIANTS, use), "p" + k + ".jpg", VARIANTS.side(use), VARIANTS.quality(use));
                if (answer.httpStatus() != 202 && answer.httpStatus() != 200) {
                    throw new IllegalStateException("upload " + k + " answered " + answer.httpStatus());
                }
                return answer.jobId();
            }));
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i).get();
            // Any node answers for any job: ask the next one, so every node's waits are used.
            ThumbnailApi api = apis.get(i % apis.size());
            ThumbnailApi.Answer answer = api.job(id, 30);
            for (int tries = 0; tries < 10 && !answer.finished(); tries++) {
                answer = api.job(id, 30);
            }
            if (!"done".equals(answer.jobStatus())) {
                throw new IllegalStateException("job " + id + " ended " + answer.jobStatus());
            }
        }
    }

    private static List<LoadRun.Photo> photos(Path folder) throws IOException {
        List<LoadRun.Photo> photos = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                byte[] data = Files.readAllBytes(file);
                if (UniqueJpeg.isJpeg(data)) {
                    photos.add(LoadRun.Photo.of(file.getFileName().toString(), data));
                }
            }
        }
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("no JPEG photos in " + folder);
        }
        return photos;
    }

    static {
        // The nodes' own logs go to their server.log; the bench JVM's s3proxy and store lines are not measured here.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
