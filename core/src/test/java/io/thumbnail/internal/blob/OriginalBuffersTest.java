package io.thumbnail.internal.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Originals read back outside the heap: into one kept buffer per thread, the large ones into one shared buffer. */
class OriginalBuffersTest {
    @TempDir
    Path dir;

    @Test
    void a_thread_reads_every_original_that_fits_into_the_same_direct_buffer() {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        String large = store(blobs, 3 * OriginalBuffers.GRAIN / 2, 1);
        String small = store(blobs, 1000, 2);
        OriginalBuffers buffers = new OriginalBuffers(4 * OriginalBuffers.GRAIN, Duration.ZERO);

        ByteBuffer first;
        byte[] firstBytes;
        try (OriginalBuffers.Original read = buffers.read(blobs, large, 3 * OriginalBuffers.GRAIN / 2)) {
            first = read.bytes();
            firstBytes = bytes(first);
        }
        ByteBuffer second = buffers.read(blobs, small, 1000).bytes();

        assertThat(first.isDirect()).as("outside the heap").isTrue();
        assertThat(first.capacity()).as("grown to whole steps").isEqualTo(2 * OriginalBuffers.GRAIN);
        assertThat(second).as("the smaller original, in the same buffer").isSameAs(first);
        assertThat(sha256(firstBytes)).as("the first original's bytes").isEqualTo(large);
        assertThat(sha256(bytes(second))).as("the second original's bytes").isEqualTo(small);
    }

    @Test
    void originals_larger_than_the_bound_share_one_buffer_outside_the_heap_read_after_read() {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        String large = store(blobs, OriginalBuffers.GRAIN + 1, 3);
        String larger = store(blobs, OriginalBuffers.GRAIN + 2, 4);
        String small = store(blobs, 1000, 5);
        OriginalBuffers buffers = new OriginalBuffers(OriginalBuffers.GRAIN, Duration.ZERO);

        ByteBuffer shared;
        try (OriginalBuffers.Original read = buffers.read(blobs, large, OriginalBuffers.GRAIN + 1)) {
            shared = read.bytes();
            assertThat(sha256(bytes(shared))).as("the first large original's bytes").isEqualTo(large);
        }
        try (OriginalBuffers.Original read = buffers.read(blobs, larger, OriginalBuffers.GRAIN + 2)) {
            assertThat(read.bytes()).as("the next large original, in the same buffer").isSameAs(shared);
            assertThat(sha256(bytes(read.bytes()))).as("its bytes").isEqualTo(larger);
        }
        ByteBuffer kept = buffers.read(blobs, small, 1000).bytes();

        assertThat(shared.isDirect()).as("over the bound: still outside the heap").isTrue();
        assertThat(shared.capacity()).as("grown to whole steps").isEqualTo(2 * OriginalBuffers.GRAIN);
        assertThat(kept).as("a small original, in the thread's own buffer").isNotSameAs(shared);
        assertThat(kept.capacity()).as("which is no larger than the bound").isEqualTo(OriginalBuffers.GRAIN);
    }

    @Test
    void a_reader_that_cannot_have_the_shared_buffer_in_time_reads_into_one_of_its_own() {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        String large = store(blobs, OriginalBuffers.GRAIN + 1, 6);
        OriginalBuffers buffers = new OriginalBuffers(OriginalBuffers.GRAIN, Duration.ZERO);

        OriginalBuffers.Original held = buffers.read(blobs, large, OriginalBuffers.GRAIN + 1);
        ByteBuffer own;
        try (OriginalBuffers.Original read = buffers.read(blobs, large, OriginalBuffers.GRAIN + 1)) {
            own = read.bytes();
            assertThat(sha256(bytes(own))).as("its bytes").isEqualTo(large);
        }
        held.close();
        ByteBuffer again;
        try (OriginalBuffers.Original read = buffers.read(blobs, large, OriginalBuffers.GRAIN + 1)) {
            again = read.bytes();
        }

        assertThat(own).as("read while the shared buffer was held: a buffer of its own").isNotSameAs(held.bytes());
        assertThat(own.isDirect()).as("still outside the heap").isTrue();
        assertThat(again).as("once given back, the shared buffer again").isSameAs(held.bytes());
    }

    private static String store(BlobStore blobs, int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        String sha = sha256(data);
        blobs.write(sha, data);
        return sha;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.limit()];
        buffer.get(0, out);
        return out;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
