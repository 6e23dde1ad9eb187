package io.thumbnail;

import io.thumbnail.postgres.TestPostgres;
import io.thumbnail.s3.S3Endpoint;
import io.thumbnail.webhooks.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks with several services ("nodes") on one PostgreSQL database and one bucket, their workers running: every
 * node hears of every finish (its own, and the others' through the database) and resumes every pending delivery at
 * its start, yet each event reaches the receiver once, a batch whose items finished on several nodes included, and
 * every node signs with the same derived secret.
 */
class WebhookNodesTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int JOBS = 12;
    private static final int BATCH_ITEMS = 6;

    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private final String bucket = endpoint.newBucket("webhooks");
    private final String database = TestPostgres.get().newDatabase("webhooks");
    private final List<ThumbnailService> nodes = new ArrayList<>();
    /** Which node finished each job, as that node's own listener saw it. */
    private final Map<UUID, String> finishedBy = new ConcurrentHashMap<>();
    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        nodes.forEach(ThumbnailService::close);
        receiver.close();
    }

    /** A node with one worker whose jobs take a little while, so that the nodes share them. */
    private ThumbnailService node(String name) {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        ThumbnailService node = ThumbnailService.builder().dataDir(dir.resolve(name)).database(database)
                .blobStore(endpoint.s3().location(bucket, "blobs")).nodeId(name).workers(1)
                .allowPrivateSources(true).hooks(h -> h.withPipeline((source, spec) -> {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return thumbnailer.thumbnail(source, spec);
                })).build();
        nodes.add(node);
        node.addListener(new JobListener() {
            @Override
            public void onChange(Job job) {
                if (job.status().isFinished()) {
                    finishedBy.put(job.id(), name);
                }
            }

            @Override
            public void onRemoteChange(Job job) {
                // Another node's finish: not this one's.
            }
        });
        return node;
    }

    private SubmitOptions toReceiver() {
        return SubmitOptions.builder().callbackUrl(receiver.url()).build();
    }

    private static ImageSource image(int seed) {
        return ImageSource.of(TestImages.png(90, 60, seed), "n" + seed + ".png");
    }

    @Test
    void each_event_is_delivered_once_by_one_of_three_nodes_and_a_batch_finished_on_several_gets_one_batch_done()
            throws Exception {
        ThumbnailService a = node("a");
        ThumbnailService b = node("b");
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add((i % 2 == 0 ? a : b).submit(image(i), SPEC, toReceiver()).id());
        }
        List<ImageSource> items = new ArrayList<>();
        for (int i = 0; i < BATCH_ITEMS; i++) {
            items.add(image(100 + i));
        }
        Batch batch = a.submitAll(items, SPEC, toReceiver());
        // Opened while those run: it resumes every pending delivery, racing the nodes that finish them.
        ThumbnailService c = node("c");

        awaitDelivered(c, jobs, batch.id());
        String secret = Files.readString(dir.resolve("a").resolve("webhook-secret")).strip();
        nodes.forEach(ThumbnailService::close);

        List<WebhookReceiver.Received> received = receiver.received();
        Map<String, Long> perDelivery = received.stream().collect(Collectors.groupingBy(
                r -> r.header("X-Thumbnail-Delivery"), Collectors.counting()));
        assertThat(received).as("requests the receiver got").hasSize(JOBS + 1);
        assertThat(perDelivery).as("requests per delivery id").hasSize(JOBS + 1).allSatisfy((id, count) ->
                assertThat(count).as("requests of delivery %s", id).isEqualTo(1));
        assertThat(received.stream().filter(r -> r.header("X-Thumbnail-Event").equals("batch.done")).toList())
                .as("batch.done deliveries").singleElement()
                .satisfies(r -> assertThat(r.text()).contains("\"id\":\"" + batch.id() + "\""));
        assertThat(received).as("signed with the secret every node derives").allSatisfy(r ->
                assertThat(r.header("X-Thumbnail-Signature")).isEqualTo(
                        WebhookReceiver.expectedSignature(r.body(), secret)));
        assertThat(Files.readString(dir.resolve("b").resolve("webhook-secret")).strip()).as("b's secret file")
                .isEqualTo(secret);
        Set<String> batchNodes = batch.items().stream().map(item -> finishedBy.get(item.id()))
                .collect(Collectors.toSet());
        assertThat(batchNodes).as("nodes that finished the batch's items").hasSizeGreaterThan(1);
    }

    /** Until every job's and the batch's callback is delivered, as the database says. */
    private void awaitDelivered(ThumbnailService node, List<UUID> jobs, UUID batch) throws InterruptedException {
        Function<UUID, Callback.Status> jobStatus = id -> node.get(id).orElseThrow().callback().status();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            boolean allJobs = jobs.stream().allMatch(id -> jobStatus.apply(id) == Callback.Status.DELIVERED);
            if (allJobs && node.batch(batch).orElseThrow().callback().status() == Callback.Status.DELIVERED) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("callbacks not all delivered within " + PATIENCE + "; received "
                + receiver.received().size());
    }
}
