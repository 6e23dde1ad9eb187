package io.thumbnail.internal.image.jpeg;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few large byte arrays kept for reuse, for scratch space a decode needs as large as the file (and drops right
 * after). Why: with a small heap G1's regions are 1 MB and every array of 512 KB or more is a humongous allocation,
 * counted as old-generation allocation, which is what makes G1 start marking cycles. A file-sized array per decode
 * would be one of the largest sources of such allocations in a server under load, after the uploads themselves;
 * reusing it also saves the cost of zeroing a fresh array per image (BENCHMARKS.md, End to end).
 *
 * <p>At most {@code slots} arrays are kept, none longer than {@code maxKept}: what it holds is bounded whatever
 * the files. An array is handed to one taker at a time; a taker that finds none suitable gets a new one.
 */
final class ScratchBytes {
    /** New arrays are rounded up to this, so that files of about the same size share them. */
    static final int GRAIN = 256 * 1024;

    private final AtomicReferenceArray<byte[]> slots;
    private final int maxKept;

    ScratchBytes(int slots, int maxKept) {
        if (slots < 1 || maxKept < 0) {
            throw new IllegalArgumentException("slots must be at least 1 and maxKept at least 0 (were " + slots
                    + ", " + maxKept + ")");
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.maxKept = maxKept;
    }

    /** One slot per processor, each at most 1/64 of the heap and 16 MB (a 20 MP photo's scan fits in 4 MB). */
    static ScratchBytes forThisJvm() {
        long heapShare = Runtime.getRuntime().maxMemory() / 64;
        return new ScratchBytes(Runtime.getRuntime().availableProcessors(), (int) Math.min(16 << 20, heapShare));
    }

    /**
     * An array of at least {@code minLength} bytes, its contents undefined; {@link #give} it back when done. The
     * smallest kept array that fits: a small file taking the largest would leave the next large one none.
     */
    byte[] take(int minLength) {
        while (true) {
            int best = -1;
            byte[] bestArray = null;
            for (int i = 0; i < slots.length(); i++) {
                byte[] kept = slots.get(i);
                if (kept != null && kept.length >= minLength && (bestArray == null || kept.length < bestArray.length)) {
                    best = i;
                    bestArray = kept;
                }
            }
            if (bestArray == null) {
                break;
            }
            if (slots.compareAndSet(best, bestArray, null)) {
                return bestArray;
            }
        }
        long rounded = ((long) minLength + GRAIN - 1) / GRAIN * GRAIN;
        return new byte[rounded <= maxKept ? (int) rounded : minLength];
    }

    /** Keeps {@code array} for a later {@link #take} if it is within the size bound and a slot is free or smaller. */
    void give(byte[] array) {
        if (array.length > maxKept) {
            return;
        }
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, array)) {
                return;
            }
        }
        for (int i = 0; i < slots.length(); i++) {
            byte[] kept = slots.get(i);
            if (kept != null && kept.length < array.length && slots.compareAndSet(i, kept, array)) {
                return;
            }
        }
    }

    /** How many arrays are kept now (for tests). */
    int kept() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            n += slots.get(i) == null ? 0 : 1;
        }
        return n;
    }
}
