package io.thumbnail;

import io.thumbnail.internal.image.Pipeline;
import io.thumbnail.postgres.TestPostgres;
import io.thumbnail.s3.LocalS3;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three services ("nodes"), each with a data directory of its own, on one PostgreSQL database and one bucket, as three
 * servers started with the same {@code --database} and {@code --blob-store} are: every job is run exactly once
 * whichever node accepted it and its thumbnail is served by every node, a delete on one node racing a dedupe hit on
 * another never costs the surviving job its files, and the janitor runs on one node only.
 */
class ThreeNodesTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(50, 50);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private final LocalS3 s3 = endpoint.s3();
    private final String bucket = endpoint.newBucket("three");
    private final String database = TestPostgres.get().newDatabase("three_nodes");
    private final List<ThumbnailService> nodes = new ArrayList<>();
    /** Pipeline runs by the SHA-256 of the image run, over every node. */
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runsByNode = new ConcurrentHashMap<>();
    private final ExecutorService racers = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() throws InterruptedException {
        racers.shutdownNow();
        racers.awaitTermination(10, TimeUnit.SECONDS);
        nodes.forEach(ThumbnailService::close);
    }

    private ThumbnailServiceBuilder node(String name) {
        Thumbnailer real = Thumbnailer.create(Limits.defaults());
        Pipeline counting = (source, spec) -> {
            runs.computeIfAbsent(sha256(source), k -> new AtomicInteger()).incrementAndGet();
            runsByNode.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return real.thumbnail(source, spec);
        };
        return ThumbnailService.builder().dataDir(dir.resolve(name)).database(database)
                .blobStore(s3.location(bucket, "blobs")).nodeId(name).workers(2).hooks(h -> h.withPipeline(counting));
    }

    private List<ThumbnailService> threeNodes(java.util.function.UnaryOperator<ThumbnailServiceBuilder> options) {
        for (String name : List.of("a", "b", "c")) {
            nodes.add(options.apply(node(name)).build());
        }
        return List.copyOf(nodes);
    }

    private static Job submit(ThumbnailService node, int seed) {
        return node.submit(ImageSource.of(TestImages.png(120, 80, seed), "p" + seed + ".png"), SPEC,
                SubmitOptions.defaults());
    }

    @Test
    void three_hundred_jobs_submitted_round_robin_are_each_run_once_and_served_by_every_node() throws Exception {
        List<ThumbnailService> three = threeNodes(builder -> builder);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(submit(three.get(i % 3), 1000 + i));
        }

        for (Job job : jobs) {
            Job done = three.get(0).await(job.id(), PATIENCE);
            assertThat(done.status()).as("status of %s (%s)", job.id(), done.error()).isEqualTo(JobStatus.DONE);
        }
        assertThat(runs).as("images run by the pipeline, over the three nodes (runs by node: %s)", runsByNode)
                .hasSize(300);
        assertThat(runs.values().stream().mapToInt(AtomicInteger::get).sum()).as("pipeline runs").isEqualTo(300);
        assertThat(runs.values()).as("runs per image").allMatch(n -> n.get() == 1);
        for (Job job : jobs) {
            long length = three.get(0).get(job.id()).orElseThrow().result().bytes();
            for (ThumbnailService node : three) {
                assertThat(readThumbnail(node, job.id())).as("thumbnail of %s read on %s", job.id(), node.nodeId())
                        .hasSize((int) length);
            }
        }
    }

    @Test
    void a_delete_on_one_node_racing_a_dedupe_hit_on_another_leaves_the_new_job_its_original_and_thumbnail()
            throws Exception {
        List<ThumbnailService> three = threeNodes(builder -> builder);
        ThumbnailService deleting = three.get(0);
        ThumbnailService deduping = three.get(1);
        ThumbnailService reading = three.get(2);
        int dedupeHits = 0;
        for (int round = 0; round < 25; round++) {
            int seed = 5000 + round;
            Job first = submit(deleting, seed);
            assertThat(deleting.await(first.id(), PATIENCE).status()).as("round %s: the first job", round)
                    .isEqualTo(JobStatus.DONE);

            CountDownLatch go = new CountDownLatch(1);
            Future<?> deleted = racers.submit(() -> {
                go.await();
                return deleting.delete(first.id());
            });
            Future<Job> second = racers.submit(() -> {
                go.await();
                return submit(deduping, seed);
            });
            go.countDown();
            deleted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            Job twin = second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            if (twin.status() == JobStatus.DONE) {
                dedupeHits++;
            }

            Job done = reading.await(twin.id(), PATIENCE);
            assertThat(done.status()).as("round %s: the second job (%s)", round, done.error())
                    .isEqualTo(JobStatus.DONE);
            for (ThumbnailService node : three) {
                assertThat(readThumbnail(node, twin.id())).as("round %s: its thumbnail read on %s", round,
                        node.nodeId()).hasSize((int) done.result().bytes());
            }
            assertThat(sha256(reading.assembly().blobs().read(twin.source().sha256())))
                    .as("round %s: its original read on a node that never held it", round)
                    .isEqualTo(twin.source().sha256());
        }
        assertThat(dedupeHits).as("rounds whose second submit was a dedupe hit (born done)").isPositive();
    }

    @Test
    void the_janitor_runs_on_exactly_one_of_three_nodes() throws Exception {
        Duration interval = Duration.ofMillis(50);
        List<ThumbnailService> three = threeNodes(builder -> builder.ttl(Duration.ofMillis(1))
                .janitorInterval(interval));
        Map<String, List<UUID>> deletedBy = new ConcurrentHashMap<>();
        for (ThumbnailService node : three) {
            node.addListener(new JobListener() {
                @Override
                public void onChange(Job job) {
                }

                @Override
                public void onDelete(Job deleted) {
                    deletedBy.computeIfAbsent(node.nodeId(), k -> new CopyOnWriteArrayList<>()).add(deleted.id());
                }
            });
        }

        List<UUID> jobs = new ArrayList<>();
        Map<String, Integer> leadingAnswers = new ConcurrentHashMap<>();
        for (int wave = 0; wave < 4; wave++) {
            for (int i = 0; i < 3; i++) {
                jobs.add(submit(three.get(i), 7000 + 3 * wave + i).id());
            }
            awaitTrue(() -> deletedBy.values().stream().mapToInt(List::size).sum() == jobs.size(),
                    "wave " + wave + " done, expired and deleted");
            // The question each node's janitor asks before a run, asked of all three between two runs.
            int leaders = 0;
            for (ThumbnailService node : three) {
                if (node.assembly().store().leadsJanitor()) {
                    leaders++;
                    leadingAnswers.merge(node.nodeId(), 1, Integer::sum);
                }
            }
            assertThat(leaders).as("wave %s: nodes that would run the janitor", wave).isEqualTo(1);
            Thread.sleep(3 * interval.toMillis()); // a few more runs on every node before the next wave
        }

        assertThat(deletedBy).as("nodes whose janitor deleted jobs, over four waves").hasSize(1);
        String leader = deletedBy.keySet().iterator().next();
        assertThat(deletedBy.get(leader)).as("jobs deleted by " + leader).containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(leadingAnswers).as("nodes that said they lead").containsOnlyKeys(leader);
    }

    private static byte[] readThumbnail(ThumbnailService node, UUID id) throws IOException {
        ThumbnailContent content = node.openThumbnail(id);
        try (InputStream in = content.stream()) {
            return in.readAllBytes();
        } finally {
            content.close();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Awaiting.until(condition, what, PATIENCE);
    }
}
