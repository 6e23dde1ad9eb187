package io.thumbnail;

import io.thumbnail.postgres.TestPostgres;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing with several services ("nodes") on one PostgreSQL database and one bucket: every node asks for every
 * pending publication when it starts, yet the thumbnail is published once, by the node that claimed it, whether
 * another node starts while it publishes or several start together. The nodes run no threads: the tests run each
 * node's publications on their own thread, in the order they choose.
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
        node.assembly().runNextJob();
        return job.id();
    }

    @Test
    void a_node_that_starts_while_another_publishes_leaves_the_publication_to_it() {
        ThumbnailService a = node("a");
        UUID id = donePendingPublication(a);
        ThumbnailService b = node("b");
        int[] ranOnB = {-1};
        gallery.whilePublishing = () -> ranOnB[0] = b.assembly().publishQueued();

        a.assembly().publishQueued();

        assertThat(ranOnB[0]).as("publications b, just started, asked for and ran while a published").isEqualTo(1);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(b.get(id).orElseThrow().publication().link()).as("the link, read on b")
                .isEqualTo("https://gallery.example/1");
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
        gallery.whilePublishing = () -> ranOnC[0] = c.assembly().publishQueued();

        int ranOnB = b.assembly().publishQueued();

        assertThat(List.of(ranOnB, ranOnC[0])).as("publications b and c resumed at start and ran, c while b published")
                .containsExactly(1, 1);
        assertThat(gallery.calls).as("calls of the publisher").hasValue(1);
        assertThat(c.get(id).orElseThrow().publication().isPublished()).as("published").isTrue();
    }
}
