package io.thumbnail.internal.jobs;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.blob.LocalBlobStore;
import io.thumbnail.internal.image.Sha256;
import io.thumbnail.internal.publish.Publishers;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.SqliteJobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreFixtures.T0;
import static io.thumbnail.internal.store.StoreFixtures.queued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A thumbnail whose job is deleted while it is being fetched is not found, as the job is, not a failing store. */
class JobLookupTest {
    private static final byte[] THUMBNAIL = "a thumbnail's bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private SqliteJobStore store;
    private LocalBlobStore blobs;
    private Job done;

    @BeforeEach
    void doneJob() {
        store = SqliteJobStore.open(dir.resolve("jobs.db"), T0, job -> { });
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        String sha = Sha256.hex(THUMBNAIL);
        blobs.write(sha, THUMBNAIL);
        Job job = queued(T0);
        store.insert(null, List.of(job), new JobStore.QueueLimits(10, 10));
        store.claimNext("node", T0, Duration.ofSeconds(30), Duration.ofMinutes(5)).orElseThrow();
        done = store.complete(job.id(), "node", new JobResult(ImageFormat.PNG, 10, 10, THUMBNAIL.length, sha, null),
                T0).orElseThrow();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A lookup whose store sees the job deleted, with its file, right after the first time it finds it. */
    private JobLookup deletedRightAfterItsLookup() {
        boolean[] deleted = {false};
        JobStore racing = (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("get") && !deleted[0]) {
                        deleted[0] = true;
                        store.delete(done.id());
                        blobs.deleteIfUnreferenced(done.result().sha256(), sha -> false);
                    }
                    return answer;
                });
        return new JobLookup(racing, blobs, new Publishers(List.of()), job -> { });
    }

    @Test
    void a_download_of_a_job_deleted_meanwhile_is_not_found() {
        assertThatThrownBy(() -> deletedRightAfterItsLookup().openThumbnail(done.id(), null, null))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code()).as("code: " + e.getMessage())
                        .isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> deletedRightAfterItsLookup().thumbnailBytes(done.id(), null))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code()).as("code: " + e.getMessage())
                        .isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void a_done_job_whose_file_is_missing_is_not_found_saying_the_file_went_not_the_job() {
        blobs.deleteIfUnreferenced(done.result().sha256(), sha -> false);
        JobLookup lookup = new JobLookup(store, blobs, new Publishers(List.of()), job -> { });

        assertThatThrownBy(() -> lookup.openThumbnail(done.id(), null, null))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code()).as("code: " + e.getMessage())
                        .as("not io_error, which tells a client to try again later, for a file that will not come back")
                        .isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("the thumbnail of job " + done.id() + " is missing from the store");
    }

    @Test
    void an_unknown_job_is_not_found() {
        JobLookup lookup = new JobLookup(store, blobs, new Publishers(List.of()), job -> { });

        assertThatThrownBy(() -> lookup.openThumbnail(UUID.randomUUID(), null, null))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.NOT_FOUND));
    }
}
