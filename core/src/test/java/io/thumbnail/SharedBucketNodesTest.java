package io.thumbnail;

import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.postgres.TestPostgres;
import io.thumbnail.s3.LocalS3;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Services ("nodes") on one PostgreSQL database and one bucket, as {@code --database} and {@code --blob-store} make
 * them: a job any node accepts is run by any other and its thumbnail read on any, and the pins that keep a blob from
 * being deleted while a job is coming to name it are held in the database, so a node deleting the last job naming a
 * blob leaves it to the node that has just pinned it.
 */
class SharedBucketNodesTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(50, 50);

    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private final LocalS3 s3 = endpoint.s3();
    private final String bucket = endpoint.newBucket("nodes");
    private final String database = TestPostgres.get().newDatabase("shared_bucket");
    private final List<ThumbnailService> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(ThumbnailService::close);
    }

    /** A node without worker threads: the test runs its jobs by hand. */
    private ThumbnailService node(String name) {
        ThumbnailService node = ThumbnailService.builder().dataDir(dir.resolve(name)).database(database)
                .blobStore(s3.location(bucket, "blobs")).nodeId(name).hooks(h -> h.withStartWorkers(false)).build();
        nodes.add(node);
        return node;
    }

    private static Job submit(ThumbnailService node, int seed) {
        return node.submit(ImageSource.of(TestImages.png(120, 80, seed), "p" + seed + ".png"), SPEC,
                SubmitOptions.defaults());
    }

    private String key(String sha256) {
        return "blobs/" + sha256.substring(0, 2) + "/" + sha256;
    }

    @Test
    void a_job_accepted_by_one_node_is_run_by_another_and_its_thumbnail_read_on_the_first() {
        ThumbnailService a = node("a");
        ThumbnailService b = node("b");
        Job job = submit(a, 1);

        assertThat(b.assembly().byHand().processNext()).as("b runs a's job").isTrue();

        Job done = a.get(job.id()).orElseThrow();
        assertThat(done.status()).as("status seen on a").isEqualTo(JobStatus.DONE);
        assertThat(a.thumbnailBytes(job.id())).as("thumbnail read on a, made on b").hasSize((int) done.result().bytes());
    }

    @Test
    void a_blob_another_node_has_pinned_outlives_the_delete_of_the_last_job_naming_it() {
        ThumbnailService a = node("a");
        ThumbnailService b = node("b");
        Job kept = submit(a, 2);
        Job removed = submit(a, 3);
        String pinned = kept.source().sha256();

        try (BlobStore.Pin pin = b.assembly().blobs().pin(pinned)) {
            a.delete(kept.id());
            a.delete(removed.id());

            assertThat(s3.keys(bucket)).as("keys once both jobs are deleted, while b pins the first's original")
                    .contains(key(pinned)).doesNotContain(key(removed.source().sha256()));
        }
    }
}
