package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.util.concurrent.Semaphore;

/**
 * The heap that whole-image decodes (ImageIO's readers, libwebp) may hold at once: half the heap, shared by every
 * thread of the process. A decode takes its estimate before it allocates and gives it back once its pixels are
 * converted, so two large images never decode side by side into one heap that holds only one, and neither one fails
 * for the other. A decode estimated larger than the whole budget waits for all of it and then tries alone. The
 * DCT-domain JPEG path holds only reduced pixels and takes nothing.
 */
final class DecodeMemory {
    /** Bytes a decoded pixel costs while it is converted: the reader's raster and the sRGB copy, 4 bytes each. */
    static final int BYTES_PER_PIXEL = 8;
    private static final DecodeMemory HEAP = new DecodeMemory(Runtime.getRuntime().maxMemory() / 2);

    private final int totalKb;
    private final Semaphore kilobytes;

    DecodeMemory(long budgetBytes) {
        this.totalKb = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes >> 10));
        this.kilobytes = new Semaphore(totalKb, true);
    }

    /** The process's budget. */
    static DecodeMemory heap() {
        return HEAP;
    }

    /** A share of the budget, given back by {@link Lease#close}. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes what a decode of {@code pixels} pixels needs (all of the budget at most), waiting while others hold it.
     *
     * @throws ThumbnailException {@code timeout} when the thread is interrupted while it waits (its job ran out of
     *                            time); the interruption is kept
     */
    Lease take(long pixels) {
        long kb = Math.max(1, pixels * BYTES_PER_PIXEL >> 10);
        int permits = (int) Math.min(totalKb, kb);
        try {
            kilobytes.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThumbnailException(ErrorCode.TIMEOUT, "stopped while waiting for memory to decode the image");
        }
        return () -> kilobytes.release(permits);
    }

    /** Kilobytes not taken now. */
    int availableKb() {
        return kilobytes.availablePermits();
    }
}
