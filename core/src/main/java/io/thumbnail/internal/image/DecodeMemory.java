package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.image.header.ImageHeader;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that whole-image decodes (ImageIO's readers, libwebp) may hold at once: half the heap, shared by every
 * thread of the process. A decode takes its estimate before it allocates and gives it back once its pixels are
 * converted, so two large images never decode side by side into one heap that holds only one, and neither one fails
 * for the other. A decode estimated larger than the whole budget waits for all of it and then tries alone. The
 * DCT-domain JPEG path takes what its reduced planes need: little for a small thumbnail, the whole image for one near
 * the photo's size.
 *
 * <p>The budget orders decodes, not the rest of the heap: thumbnails being encoded and request buffers hold memory it
 * does not count, so a decode may run out of heap because of what else happens to be alive at that
 * moment. Such a decode is tried once more holding the whole budget ({@link #run}); only one that fails alone, or
 * whose estimate is more than the heap, is too large for this JVM.
 */
final class DecodeMemory {
    /** Bytes a decoded pixel costs while it is converted: the reader's raster and the sRGB copy, 4 bytes each. */
    static final int BYTES_PER_PIXEL = 8;
    private static final DecodeMemory HEAP = new DecodeMemory(Runtime.getRuntime().maxMemory() / 2);

    private final int totalKb;
    private final long heapBytes;
    private final Semaphore kilobytes;

    DecodeMemory(long budgetBytes) {
        this(budgetBytes, Runtime.getRuntime().maxMemory());
    }

    /** @param heapBytes the most the heap can hold ({@link Runtime#maxMemory()}), which says what can ever fit */
    DecodeMemory(long budgetBytes, long heapBytes) {
        this.totalKb = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes >> 10));
        this.heapBytes = heapBytes;
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
        return acquire(permits(pixels));
    }

    private int permits(long pixels) {
        return (int) Math.min(totalKb, Math.max(1, estimateBytes(pixels) >> 10));
    }

    private Lease acquire(int permits) {
        try {
            // Timed, even for no time, so that a fair semaphore's queue is kept.
            if (!kilobytes.tryAcquire(permits, 0, TimeUnit.NANOSECONDS)) {
                await(permits);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThumbnailException(ErrorCode.TIMEOUT, "stopped while waiting for memory to decode the image");
        }
        return () -> kilobytes.release(permits);
    }

    /**
     * Waits for {@code permits} that others hold, telling the thread's {@link MemoryWaits.Listener}, if any, when
     * the wait starts and ends, and giving up once the longest wait it allows has passed: a transient {@code timeout},
     * tried again later, as the image is not what took the time.
     */
    private void await(int permits) throws InterruptedException {
        MemoryWaits.Listener listener = MemoryWaits.current();
        if (listener == null) {
            kilobytes.acquire(permits);
            return;
        }
        Duration longest = listener.waiting();
        try {
            if (!kilobytes.tryAcquire(permits, longest.toNanos(), TimeUnit.NANOSECONDS)) {
                long ms = longest.toMillis();
                throw new ThumbnailException(ErrorCode.TIMEOUT, "waited " + (ms % 1000 == 0 ? ms / 1000 + " s"
                        : ms + " ms") + " for memory to decode the image while other images' decodes held it");
            }
        } finally {
            listener.ended();
        }
    }

    /** A whole-image decode, run while it holds its share of the budget. */
    @FunctionalInterface
    interface Decode<T> {
        T run();
    }

    /**
     * Runs {@code decode} of {@code pixels} pixels holding its estimate. Should the heap run out meanwhile, and the
     * estimate be within what the heap can hold, it runs once more holding the whole budget, so that no other budgeted
     * decode is alive beside it. Once only: a decode that fails alone would fail alone again.
     *
     * @throws OutOfMemoryError when the decode ran out of heap alone (holding the whole budget, on its first try
     *                          when its estimate takes all of it), or its estimate is more than the heap
     */
    <T> T run(long pixels, Decode<T> decode) {
        int permits = permits(pixels);
        try (Lease share = acquire(permits)) {
            return decode.run();
        } catch (OutOfMemoryError e) {
            if (permits == totalKb || estimateBytes(pixels) > heapBytes) {
                throw e;
            }
        }
        // The first try's share is given back and its pixels are garbage: the second holds all and starts clean.
        try (Lease all = takeAll()) {
            return decode.run();
        }
    }

    /**
     * {@link #run} for the image {@code header} describes, whose decode running out of heap alone as well (or whose
     * estimate is more than the heap) is {@code too_large}.
     */
    <T> T decode(ImageHeader header, long pixels, Decode<T> decode) {
        try {
            return run(pixels, decode);
        } catch (OutOfMemoryError e) {
            throw tooLarge(header);
        }
    }

    /**
     * A decode that did not fit the heap: its allocation failed alone (the others waited their turn), and the same
     * image would fail the same way again.
     */
    static ThumbnailException tooLarge(ImageHeader header) {
        return new ThumbnailException(ErrorCode.TOO_LARGE, "the " + header.format().id() + " image ("
                + header.width() + "x" + header.height() + ") needs more memory to decode than this JVM has for"
                + " one image; a smaller image, or a larger heap (-Xmx), would do");
    }

    /** All of the budget, once every decode holding some of it has given it back. */
    Lease takeAll() {
        return acquire(totalKb);
    }

    private static long estimateBytes(long pixels) {
        return pixels * BYTES_PER_PIXEL;
    }

    /** Kilobytes not taken now. */
    int availableKb() {
        return kilobytes.availablePermits();
    }
}
