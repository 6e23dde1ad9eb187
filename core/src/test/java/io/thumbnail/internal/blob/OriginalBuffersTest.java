package io.thumbnail.internal.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Originals read back outside the heap, into one kept buffer per thread. */
class OriginalBuffersTest {
    @TempDir
    Path dir;

    @Test
    void a_thread_reads_every_original_that_fits_into_the_same_direct_buffer() {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        String large = store(blobs, 3 * OriginalBuffers.GRAIN / 2, 1);
        String small = store(blobs, 1000, 2);
        OriginalBuffers buffers = new OriginalBuffers(4 * OriginalBuffers.GRAIN);

        ByteBuffer first = buffers.read(blobs, large, 3 * OriginalBuffers.GRAIN / 2);
        byte[] firstBytes = bytes(first);
        ByteBuffer second = buffers.read(blobs, small, 1000);

        assertThat(first.isDirect()).as("outside the heap").isTrue();
        assertThat(first.capacity()).as("grown to whole steps").isEqualTo(2 * OriginalBuffers.GRAIN);
        assertThat(second).as("the smaller original, in the same buffer").isSameAs(first);
        assertThat(sha256(firstBytes)).as("the first original's bytes").isEqualTo(large);
        assertThat(sha256(bytes(second))).as("the second original's bytes").isEqualTo(small);
    }

    @Test
    void an_original_larger_than_the_bound_is_read_outside_the_heap_and_not_kept() {
        LocalBlobStore blobs = new LocalBlobStore(dir);
        String large = store(blobs, OriginalBuffers.GRAIN + 1, 3);
        String small = store(blobs, 1000, 4);
        OriginalBuffers buffers = new OriginalBuffers(OriginalBuffers.GRAIN);

        ByteBuffer own = buffers.read(blobs, large, OriginalBuffers.GRAIN + 1);
        ByteBuffer kept = buffers.read(blobs, small, 1000);

        assertThat(own.isDirect()).as("over the bound: still outside the heap").isTrue();
        assertThat(own.capacity()).as("a buffer of its own size, rounded up to a direct I/O block")
                .isBetween(OriginalBuffers.GRAIN + 1, OriginalBuffers.GRAIN + DirectIo.MAX_BLOCK);
        assertThat(sha256(bytes(own))).as("its bytes").isEqualTo(large);
        assertThat(kept.isDirect()).as("a later small one still gets a kept direct buffer").isTrue();
        assertThat(kept.capacity()).as("which is no larger than the bound").isEqualTo(OriginalBuffers.GRAIN);
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
