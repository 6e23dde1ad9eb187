package io.thumbnail.internal.image;

import java.time.Duration;

/**
 * Tells whoever runs a decode's thread when that decode waits for memory other decodes hold ({@link DecodeMemory}):
 * time that is not the image's own, so a job's time limit need not count it. A thread with no listener waits as long
 * as it takes.
 */
public final class MemoryWaits {
    /** Told by its thread as a wait for decode memory starts and ends. */
    public interface Listener {
        /** A wait starts now; returns the longest it may last before the decode gives up with {@code timeout}. */
        Duration waiting();

        /** The wait ended: the memory was taken, or the decode gave up. */
        void ended();
    }

    private static final ThreadLocal<Listener> LISTENER = new ThreadLocal<>();

    private MemoryWaits() {
    }

    /** Makes {@code listener} (null: none) the calling thread's, for the decodes it runs from now on. */
    public static void listen(Listener listener) {
        if (listener == null) {
            LISTENER.remove();
        } else {
            LISTENER.set(listener);
        }
    }

    /** The calling thread's listener, or null. */
    static Listener current() {
        return LISTENER.get();
    }
}
