package io.thumbnail.internal.blob;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BlobStore} must do, wherever it keeps the bytes: {@link LocalBlobStoreTest} runs it on a folder,
 * {@code S3BlobStoreTest} on a bucket of a real S3 API. Each supplies {@link #openStore}.
 */
public abstract class BlobStoreContract {
    protected static final byte[] BYTES = "some image bytes".getBytes(StandardCharsets.UTF_8);
    protected static final String SHA = sha256(BYTES);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * The store of this test, opened on its backing (empty at the test's start); a second call opens it again on the
     * same backing, as a restarted service would.
     */
    protected abstract BlobStore openStore();

    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(BlobStore.Content content) throws IOException {
        try (InputStream in = content.stream()) {
            return in.readAllBytes();
        }
    }

    /** Runs every call at once, each on a thread of its own released together; returns what each returned. */
    protected static <T> List<T> atOnce(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> running = new ArrayList<>();
            for (Callable<T> call : calls) {
                running.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> result : running) {
                results.add(result.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code size} bytes that do not compress, as a photo's. */
    protected static byte[] photo(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static BlobStore.Incoming received(BlobStore blobs, byte[] bytes) {
        BlobStore.Incoming incoming = blobs.receive();
        int half = bytes.length / 2;
        incoming.write(ByteBuffer.wrap(bytes, 0, half));
        incoming.write(ByteBuffer.wrap(bytes, half, bytes.length - half));
        incoming.finish();
        return incoming;
    }

    @Test
    void bytes_written_are_read_back_whole_and_as_a_stream_with_their_length() throws IOException {
        BlobStore blobs = openStore();

        assertThat(blobs.write(SHA, BYTES)).as("stored by this write").isTrue();

        assertThat(blobs.exists(SHA)).as("exists").isTrue();
        assertThat(blobs.read(SHA)).as("read whole").isEqualTo(BYTES);
        try (BlobStore.Content content = blobs.open(SHA)) {
            assertThat(content.length()).as("length").isEqualTo(BYTES.length);
            assertThat(readAll(content)).as("streamed").isEqualTo(BYTES);
        }
    }

    @Test
    void a_photo_sized_blob_is_stored_and_read_back_exactly() throws IOException {
        BlobStore blobs = openStore();
        byte[] photo = photo((3 << 20) + 12345, 7);
        String sha = sha256(photo);

        assertThat(blobs.write(sha, photo)).as("stored by this write").isTrue();

        assertThat(blobs.read(sha)).as("read whole").isEqualTo(photo);
        try (BlobStore.Content content = blobs.open(sha)) {
            assertThat(content.length()).as("length").isEqualTo(photo.length);
            assertThat(readAll(content)).as("streamed").isEqualTo(photo);
        }
    }

    @Test
    void a_photo_sized_upload_received_in_pieces_is_stored_exactly() {
        BlobStore blobs = openStore();
        byte[] photo = photo(5 << 20, 11);
        String sha = sha256(photo);

        try (BlobStore.Incoming incoming = blobs.receive()) {
            for (int at = 0; at < photo.length; at += 64 << 10) {
                incoming.write(ByteBuffer.wrap(photo, at, Math.min(64 << 10, photo.length - at)));
            }
            incoming.finish();
            assertThat(incoming.store(sha)).as("stored by this call").isTrue();
        }

        assertThat(blobs.read(sha)).as("the stored upload").isEqualTo(photo);
    }

    @Test
    void writers_racing_to_store_the_same_bytes_all_succeed_and_one_blob_is_left_whole() throws Exception {
        BlobStore blobs = openStore();
        byte[] photo = photo(1 << 20, 3);
        String sha = sha256(photo);
        List<Callable<Boolean>> writers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            writers.add(() -> blobs.write(sha, photo));
        }

        List<Boolean> stored = atOnce(writers);

        assertThat(stored).as("writes that stored the bytes").contains(true);
        assertThat(blobs.read(sha)).as("the blob after the race").isEqualTo(photo);
        blobs.sweepLeftoversAndList();
        assertThat(blobs.sweepLeftoversAndList().hashes()).as("stored hashes").containsExactly(sha);
    }

    @Test
    void a_blob_read_into_a_buffer_that_fits_fills_that_buffer_and_one_that_does_not_fit_a_new_one() {
        BlobStore blobs = openStore();
        blobs.write(SHA, BYTES);
        ByteBuffer direct = ByteBuffer.allocateDirect(BYTES.length + 10);
        direct.position(3);

        ByteBuffer fits = blobs.read(SHA, direct);
        ByteBuffer tooSmall = blobs.read(SHA, ByteBuffer.allocateDirect(BYTES.length - 1));

        assertThat(fits).as("the buffer given, which the blob fits").isSameAs(direct);
        assertThat(fits.position()).as("position").isZero();
        assertThat(fits.limit()).as("limit: the blob's length").isEqualTo(BYTES.length);
        assertThat(bytesOf(fits)).as("the bytes read into it").isEqualTo(BYTES);
        assertThat(tooSmall.isDirect()).as("a buffer too small gives way to a new heap buffer").isFalse();
        assertThat(bytesOf(tooSmall)).as("the bytes read into that").isEqualTo(BYTES);
    }

    @Test
    void a_missing_blob_read_into_a_buffer_is_an_io_error_naming_its_hash() {
        BlobStore blobs = openStore();

        assertThatThrownBy(() -> blobs.read(SHA, ByteBuffer.allocateDirect(64)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).as("code").isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining(SHA);
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] out = new byte[buffer.limit()];
        buffer.get(0, out);
        return out;
    }

    @Test
    void identical_bytes_are_stored_once_and_the_second_write_says_so() {
        BlobStore blobs = openStore();
        blobs.write(SHA, BYTES);

        assertThat(blobs.write(SHA, BYTES.clone())).as("second write of the same bytes stored them").isFalse();
        assertThat(blobs.read(SHA)).isEqualTo(BYTES);
    }

    @Test
    void a_missing_blob_is_an_io_error_naming_its_hash_and_no_failure_of_the_store() {
        BlobStore blobs = openStore();

        assertThat(blobs.exists(SHA)).as("exists").isFalse();
        assertThatThrownBy(() -> blobs.read(SHA)).as("read").isInstanceOfSatisfying(ThumbnailException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
            assertThat(e.getMessage()).contains(SHA, "missing");
        });
        assertThatThrownBy(() -> blobs.open(SHA)).as("open").isInstanceOf(ThumbnailException.class)
                .hasMessageContaining(SHA);
        assertThat(blobs.health().writable()).as("store health").isTrue();
        assertThat(blobs.health().failures()).as("failures told to the health").isZero();
    }

    @Test
    void an_unreferenced_blob_is_deleted_and_a_referenced_one_kept() {
        BlobStore blobs = openStore();
        byte[] other = {1, 2, 3};
        blobs.write(SHA, BYTES);
        blobs.write(sha256(other), other);

        assertThat(blobs.deleteIfUnreferenced(SHA, sha -> false)).as("unreferenced deleted").isTrue();
        assertThat(blobs.deleteIfUnreferenced(sha256(other), sha -> true)).as("referenced deleted").isFalse();

        assertThat(blobs.exists(SHA)).as("unreferenced exists").isFalse();
        assertThat(blobs.exists(sha256(other))).as("referenced exists").isTrue();
        assertThat(blobs.deleteIfUnreferenced(null, sha -> false)).as("no hash").isFalse();
    }

    @Test
    void a_pinned_blob_is_kept_even_when_no_row_references_it_yet() {
        BlobStore blobs = openStore();
        try (BlobStore.Pin pin = blobs.pin(SHA)) {
            blobs.write(SHA, BYTES);

            assertThat(blobs.deleteIfUnreferenced(SHA, sha -> false)).as("deleted while pinned").isFalse();
            assertThat(blobs.quarantineIfUnreferenced(SHA, sha -> false, T0)).as("quarantined while pinned")
                    .isFalse();
            assertThat(blobs.exists(SHA)).isTrue();
        }
        assertThat(blobs.deleteIfUnreferenced(SHA, sha -> false)).as("deleted after unpinning").isTrue();
    }

    @Test
    void a_quarantined_blob_leaves_the_store_and_comes_back_when_referenced_again() {
        BlobStore blobs = openStore();
        blobs.write(SHA, BYTES);

        assertThat(blobs.quarantineIfUnreferenced(SHA, sha -> true, T0)).as("referenced quarantined").isFalse();
        assertThat(blobs.quarantineIfUnreferenced(SHA, sha -> false, T0)).as("unreferenced quarantined").isTrue();
        assertThat(blobs.exists(SHA)).as("exists while quarantined").isFalse();
        assertThat(blobs.quarantined()).as("quarantined").isEqualTo(1);

        assertThat(blobs.restoreQuarantined(SHA::equals)).as("restored").isEqualTo(1);
        assertThat(blobs.read(SHA)).as("bytes after the restore").isEqualTo(BYTES);
        assertThat(blobs.quarantined()).as("quarantined after the restore").isZero();
    }

    @Test
    void the_quarantine_is_emptied_of_blobs_that_came_before_the_cutoff_only() {
        BlobStore blobs = openStore();
        byte[] later = {4, 5, 6};
        blobs.write(SHA, BYTES);
        blobs.write(sha256(later), later);
        blobs.quarantineIfUnreferenced(SHA, sha -> false, T0);
        blobs.quarantineIfUnreferenced(sha256(later), sha -> false, T0.plus(Duration.ofDays(2)));

        assertThat(blobs.emptyQuarantine(T0.plus(Duration.ofDays(1)))).as("deleted").isEqualTo(1);

        assertThat(blobs.quarantined()).as("still quarantined").isEqualTo(1);
        assertThat(blobs.restoreQuarantined(sha -> true)).as("restorable").isEqualTo(1);
        assertThat(blobs.exists(sha256(later))).as("the later one, restored").isTrue();
        assertThat(blobs.exists(SHA)).as("the earlier one").isFalse();
    }

    @Test
    void bytes_received_in_pieces_are_readable_before_they_are_stored_under_their_hash() throws IOException {
        BlobStore blobs = openStore();
        try (BlobStore.Incoming incoming = received(blobs, BYTES)) {
            try (SeekableByteChannel read = incoming.read()) {
                ByteBuffer tail = ByteBuffer.allocate(5);
                read.position(BYTES.length - 5);
                read.read(tail);
                assertThat(read.size()).as("size received").isEqualTo(BYTES.length);
                assertThat(new String(tail.array(), StandardCharsets.UTF_8)).as("read from a position").isEqualTo("bytes");
            }

            assertThat(incoming.store(SHA)).as("stored by this call").isTrue();
        }
        assertThat(blobs.read(SHA)).as("the stored blob").isEqualTo(BYTES);
    }

    @Test
    void bytes_received_that_are_stored_already_are_dropped_and_the_blob_kept() {
        BlobStore blobs = openStore();
        blobs.sweepLeftoversAndList();
        blobs.write(SHA, BYTES);

        try (BlobStore.Incoming incoming = received(blobs, BYTES)) {
            assertThat(incoming.store(SHA)).as("stored by this call").isFalse();
        }
        assertThat(blobs.read(SHA)).isEqualTo(BYTES);
        assertThat(blobs.sweepLeftoversAndList().hashes()).as("stored hashes").containsExactly(SHA);
    }

    @Test
    void bytes_received_and_closed_unstored_leave_nothing_and_cannot_be_stored() {
        BlobStore blobs = openStore();
        blobs.sweepLeftoversAndList();
        BlobStore.Incoming incoming = received(blobs, BYTES);

        incoming.close();

        assertThatThrownBy(() -> incoming.store(SHA)).as("stored after closing: the caller's mistake")
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the upload was closed");
        assertThat(blobs.exists(SHA)).isFalse();
        assertThat(blobs.sweepLeftoversAndList().hashes()).as("stored hashes").isEmpty();
    }

    @Test
    void the_listing_names_every_stored_hash_and_a_reopened_store_counts_them() {
        BlobStore blobs = openStore();
        byte[] other = {1, 2, 3};
        blobs.write(SHA, BYTES);
        blobs.write(sha256(other), other);
        blobs.sweepLeftoversAndList();

        assertThat(blobs.sweepLeftoversAndList().hashes()).as("listing").containsExactlyInAnyOrder(SHA, sha256(other));
        assertThat(openStore().storedAtOpen()).as("stored when reopened").isEqualTo(2);
    }

    @Test
    void a_probe_write_succeeds_on_a_working_store_and_leaves_nothing() {
        BlobStore blobs = openStore();
        blobs.sweepLeftoversAndList();

        blobs.probeWrite();

        assertThat(blobs.health().writable()).isTrue();
        assertThat(blobs.sweepLeftoversAndList().hashes()).as("stored hashes").isEqualTo(List.of());
    }
}
