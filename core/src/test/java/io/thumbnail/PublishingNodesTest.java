package io.thumbnail;

import io.thumbnail.postgres.TestPostgres;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing with several services ("nodes") on one PostgreSQL database and one bucket: every node asks for every
 * pending publication when it starts, yet the thumbnail is published once, by the node that claimed it, whether
 * another node starts while it publishes or several start together. The nodes run no threads, but for one that is
 * stopped while it publishes: the tests run each node's publications on their own thread, in the order they choose.
 */
class PublishingNodesTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);
    private static final SubmitOptions TO_GALLERY = SubmitOptions.builder().publishTo("gallery").build();

    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private final String bucket = endpoint.newBucket("publishing");
    private final String database = TestPostgres.get().newDatabase("publishing");
    private final PublishingTest.Gallery gallery = new PublishingTest.Gallery();
    private final List<ThumbnailService> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(ThumbnailService::close);
    }

    private ThumbnailService node(String name) {
        ThumbnailService node = ThumbnailService.builder().dataDir(dir.resolve(name)).database(database)
                .blobStore(endpoint.s3().location(bucket, "blobs")).nodeId(name).publisher(gallery)
                .hooks(h -> h.withStartWorkers(false)).build();
        nodes.add(node);
        return node;
    }

    /** A job made on {@code node} whose publication is pending; {@code node} has asked for it and not begun. */
    private static UUID donePendingPublication(ThumbnailService node) {
        Job job = node.submit(ImageSource.of(TestImages.png(90, 60, 1), "p.png"), SPEC, TO_GALLERY);
        node.assembly().byHand().runNextJob();
        return job.id();
    }

    @Test
    void a_node_that_starts_while_another_publishes_leaves_the_publication_to_it() {
        ThumbnailService a = node("a");
        UUID id = donePendingPublication(a);
        ThumbnailService b = node("b");
        int[] ranOnB = {-1};
        gallery.whilePublishing = () -> ranOnB[0] = b.assembly().byHand().publishQueued();

        a.assembly().byHand().publishQueued();

        assertThat(ranOnB[0]).as("publications b, just started, asked for and ran while a published").isEqualTo(1);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(b.get(id).orElseThrow().publication().link()).as("the link, read on b")
                .isEqualTo("https://gallery.example/1");
    }

    @Test
    void a_node_stopped_while_it_publishes_lets_go_of_the_lease_so_another_publishes_at_once() throws Exception {
        Interruptible interruptible = new Interruptible();
        ThumbnailService a = ThumbnailService.builder().dataDir(dir.resolve("a")).database(database)
                .blobStore(endpoint.s3().location(bucket, "blobs")).nodeId("a").publisher(interruptible).workers(1)
                .shutdownTimeout(Duration.ofMillis(200)).build();
        nodes.add(a);
        UUID id = a.submit(ImageSource.of(TestImages.png(90, 60, 2), "p.png"), SPEC, TO_GALLERY).id();
        assertThat(interruptible.arrived.await(60, TimeUnit.SECONDS)).as("a's publisher started").isTrue();

        a.close();
        nodes.remove(a);
        ThumbnailService b = node("b");
        int ranOnB = b.assembly().byHand().publishQueued();

        assertThat(interruptible.interrupted).as("a's publisher was interrupted by the stop").isTrue();
        assertThat(ranOnB).as("publications b took up at its start, well within a's 30 s lease").isEqualTo(1);
        assertThat(gallery.calls).as("calls of b's publisher").hasValue(1);
        assertThat(b.get(id).orElseThrow().publication().link()).isEqualTo("https://gallery.example/1");
    }

    /** A gallery publisher that waits until it is interrupted, then says so as Imgur's does (the flag kept set). */
    private static final class Interruptible implements Publisher {
        final CountDownLatch arrived = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public String target() {
            return "gallery";
        }

        @Override
        public Publication publish(byte[] image, ImageFormat format) {
            arrived.countDown();
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
                throw new ThumbnailException(ErrorCode.PUBLISH_FAILED, "not interrupted within 60 s");
            } catch (InterruptedException e) {
                interrupted = true;
                Thread.currentThread().interrupt();
                throw new ThumbnailException(ErrorCode.PUBLISH_FAILED, "interrupted while publishing");
            }
        }
    }

    @Test
    void nodes_starting_together_publish_a_publication_left_pending_once() {
        ThumbnailService stopped = node("stopped");
        UUID id = donePendingPublication(stopped);
        stopped.close();
        nodes.remove(stopped);
        ThumbnailService b = node("b");
        ThumbnailService c = node("c");
        int[] ranOnC = {-1};
        gallery.whilePublishing = () -> ranOnC[0] = c.assembly().byHand().publishQueued();

        int ranOnB = b.assembly().byHand().publishQueued();

        assertThat(List.of(ranOnB, ranOnC[0])).as("publications b and c resumed at start and ran, c while b published")
                .containsExactly(1, 1);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(c.get(id).orElseThrow().publication().isPublished()).as("published").isTrue();
    }
}
