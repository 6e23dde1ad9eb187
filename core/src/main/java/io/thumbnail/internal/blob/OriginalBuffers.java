package io.thumbnail.internal.blob;

import java.nio.ByteBuffer;

/**
 * Buffers outside the heap, one per thread, that workers read stored originals back into for decoding. Why: in a
 * small heap G1's regions are 1 MB, every array of half a region or more is a humongous allocation, counted as old
 * generation, and a fresh array per job the size of a camera photo is what made G1 start a marking cycle every few
 * uploads. A kept buffer is allocated once; it grows, in steps of {@value #GRAIN} bytes, to the largest original its
 * thread has read, up to {@code maxKept}. A larger original is read into a direct buffer of its own, not kept (the
 * collector releases it): two workers reading such files into the heap at once could exhaust a small one.
 *
 * <p>The buffers are aligned for direct I/O, so a local store reads an original into one without the page cache.
 *
 * <p>What a thread gets is its own until its next {@link #read}; the buffers together hold at most
 * {@code maxKept} bytes per worker thread.
 */
public final class OriginalBuffers {
    static final int GRAIN = 1 << 20;
    /** The default bound per thread: a 50 MP camera JPEG, small beside the default bound of direct memory. */
    public static final int DEFAULT_MAX_KEPT = 32 << 20;

    private final int maxKept;
    private final ThreadLocal<ByteBuffer> kept = new ThreadLocal<>();

    public OriginalBuffers(int maxKept) {
        if (maxKept < 0) {
            throw new IllegalArgumentException("maxKept must not be negative (was " + maxKept + ")");
        }
        this.maxKept = maxKept;
    }

    /**
     * The blob of {@code sha256}, expected to be {@code length} bytes, from 0 to the limit of the buffer returned: this
     * thread's kept buffer when it fits, else a direct buffer of its own. Valid until this thread's next call.
     */
    public ByteBuffer read(BlobStore blobs, String sha256, long length) {
        return blobs.read(sha256, bufferFor(length));
    }

    private ByteBuffer bufferFor(long length) {
        ByteBuffer buffer = kept.get();
        if (buffer != null && buffer.capacity() >= length) {
            return buffer;
        }
        if (length > maxKept) {
            return DirectIo.allocateAligned((int) Math.min(length, Integer.MAX_VALUE - 8));
        }
        long rounded = Math.min(maxKept, (length + GRAIN - 1) / GRAIN * GRAIN);
        buffer = DirectIo.allocateAligned((int) rounded);
        kept.set(buffer);
        return buffer;
    }
}
