package io.thumbnail.internal.blob;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Buffers outside the heap that workers read stored originals back into for decoding. Why: in a small heap G1's
 * regions are 1 MB, every array of half a region or more is a humongous allocation, counted as old generation, and a
 * fresh array per job the size of a camera photo is what made G1 start a marking cycle every few uploads.
 *
 * <p>Each thread keeps one buffer, allocated once; it grows, in steps of {@value #GRAIN} bytes, to the largest original
 * its thread has read, up to {@code maxKept}. Larger originals (rare, and what a hostile client sends: a small image
 * followed by tens of MB) share one more buffer, used by one reader at a time and grown to the largest of them. A fresh
 * direct buffer per large original would not do: its memory returns only when the collector notices the buffer is
 * garbage, which a heap under little pressure does late, so a few of them in a row exhaust direct memory. A reader
 * that waits longer than {@code largeWait} for the shared buffer (another one is stuck decoding) gets a buffer of its
 * own, as a last resort.
 *
 * <p>The buffers are aligned for direct I/O, so a local store reads an original into one without the page cache.
 * They hold at most {@code maxKept} bytes per reading thread, plus the shared one.
 */
public final class OriginalBuffers {
    static final int GRAIN = 1 << 20;
    /** The default bound per thread: a 50 MP camera JPEG, small beside the default bound of direct memory. */
    public static final int DEFAULT_MAX_KEPT = 32 << 20;
    /** The default wait for the shared buffer: far longer than decoding a large original takes. */
    public static final Duration DEFAULT_LARGE_WAIT = Duration.ofSeconds(30);

    private final int maxKept;
    private final Duration largeWait;
    private final ThreadLocal<ByteBuffer> kept = new ThreadLocal<>();
    private final Semaphore largeFree = new Semaphore(1, true);
    /** The shared buffer of large originals, read and replaced only by the holder of {@link #largeFree}. */
    private ByteBuffer large;

    public OriginalBuffers(int maxKept, Duration largeWait) {
        if (maxKept < 0 || largeWait == null || largeWait.isNegative()) {
            throw new IllegalArgumentException("maxKept and largeWait must not be negative (were " + maxKept + ", "
                    + largeWait + ")");
        }
        this.maxKept = maxKept;
        this.largeWait = largeWait;
    }

    /** An original read back: its bytes until {@link #close}, which the reader calls once it has decoded them. */
    public final class Original implements AutoCloseable {
        private final ByteBuffer bytes;
        private boolean shared;

        private Original(ByteBuffer bytes, boolean shared) {
            this.bytes = bytes;
            this.shared = shared;
        }

        /** The blob's bytes, from 0 to the limit. */
        public ByteBuffer bytes() {
            return bytes;
        }

        /** Gives the shared buffer back, if this is in it; the bytes must not be used after. */
        @Override
        public void close() {
            if (shared) {
                shared = false;
                largeFree.release();
            }
        }
    }

    /** The blob of {@code sha256}, expected to be {@code length} bytes; close it once its bytes are decoded. */
    public Original read(BlobStore blobs, String sha256, long length) {
        if (length <= maxKept) {
            return new Original(blobs.read(sha256, keptFor(length)), false);
        }
        if (!takeLarge()) {
            return new Original(blobs.read(sha256, DirectIo.allocateAligned(capped(length))), false);
        }
        try {
            if (large == null || large.capacity() < length) {
                large = null;
                large = DirectIo.allocateAligned(rounded(length));
            }
            return new Original(blobs.read(sha256, large), true);
        } catch (RuntimeException | Error e) {
            largeFree.release();
            throw e;
        }
    }

    private ByteBuffer keptFor(long length) {
        ByteBuffer buffer = kept.get();
        if (buffer == null || buffer.capacity() < length) {
            buffer = DirectIo.allocateAligned((int) Math.min(maxKept, rounded(length)));
            kept.set(buffer);
        }
        return buffer;
    }

    private boolean takeLarge() {
        try {
            return largeFree.tryAcquire(largeWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int rounded(long length) {
        return capped((length + GRAIN - 1) / GRAIN * GRAIN);
    }

    private static int capped(long length) {
        return (int) Math.min(length, Integer.MAX_VALUE - 8);
    }
}
