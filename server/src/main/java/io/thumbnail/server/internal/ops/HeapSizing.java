package io.thumbnail.server.internal.ops;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.util.Optional;

/**
 * G1 for a small heap under photo uploads: keeps the heap grown once it has grown ({@link #keepGrown}), and says
 * when the JVM should have been started with its adaptive marking threshold off ({@link #adaptiveThresholdAdvice}),
 * which only a flag can do. Every upload and every decoded photo is a multi-megabyte array, which G1
 * allocates as a humongous object straight into the old generation; each such allocation may start a concurrent
 * cycle, and at the end of every cycle G1 shrinks the heap back to what its live data needs (HotSpot's
 * {@code MaxHeapFreeRatio}, 70 % by default). The small heap then fills with the next few arrays and starts the next
 * cycle: under a steady stream of uploads, many cycles a second with a young collection every few megabytes, so the
 * collector's CPU per job comes to a sizeable share of the thumbnail's own (figures in BENCHMARKS.md, End to end).
 *
 * <p>Both ratios are manageable flags, so they are set here at run time: never shrink ({@code MaxHeapFreeRatio=100}),
 * and after a cycle grow to keep {@value #MIN_FREE_PERCENT} % free ({@code MinHeapFreeRatio}), within {@code -Xmx}
 * as always. Either flag given on the command line wins, and then neither is touched; so does any collector other
 * than G1.
 *
 * <p>Then one full collection, at once: G1 resizes only at the end of a full collection or a completed marking cycle,
 * and under a steady stream of photo uploads nearly every cycle is undone right after the young collection that
 * started it (that collection already freed the dead arrays), so the ratios alone may never get to grow the heap:
 * it then stays at a fraction of {@code -Xmx} and G1 collects several times as often as with the heap grown. The full
 * collection (a few milliseconds; the server has just started and is idle as a rule) ends with the heap grown to ten
 * times its live data, within {@code -Xmx}.
 *
 * <p>Only for heaps of at most {@link #LARGEST_HEAP_BYTES}: there a few arrays fill the heap and the churn above is
 * real, and keeping it grown costs at most that much memory. A larger heap (the JVM's default {@code -Xmx} is a
 * quarter of the machine's memory) has room for G1's own sizing, and keeping 90 % of it free would commit ten times
 * the live data.
 */
public final class HeapSizing {
    static final String G1 = "UseG1GC";
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";
    static final String ADAPTIVE_IHOP = "G1UseAdaptiveIHOP";
    static final int MIN_FREE_PERCENT = 90;
    static final long LARGEST_HEAP_BYTES = 1L << 30;

    private HeapSizing() {
    }

    /** What {@link #keepGrown} did. */
    public enum Outcome {
        /** Both ratios set, and the heap grown by them. */
        SET,
        /** The operator set one of them: both left as they are. */
        LEFT_AS_GIVEN,
        /** Another collector, whose own sizing policy these ratios would override: left as they are. */
        NOT_G1,
        /** A heap larger than {@link #LARGEST_HEAP_BYTES}: G1's own sizing. */
        LARGE_HEAP
    }

    /**
     * Sets the two ratios unless either was set by the operator or the heap may grow past {@link #LARGEST_HEAP_BYTES},
     * and grows the heap by them with one full collection.
     *
     * @param maxHeapBytes the heap's limit ({@code Runtime.maxMemory()})
     */
    public static Outcome keepGrown(HotSpotDiagnosticMXBean vm, long maxHeapBytes) {
        VMOption min;
        VMOption max;
        try {
            if (!"true".equals(vm.getVMOption(G1).getValue())) {
                return Outcome.NOT_G1;
            }
            min = vm.getVMOption(MIN_FREE);
            max = vm.getVMOption(MAX_FREE);
        } catch (IllegalArgumentException noSuchFlag) {
            return Outcome.NOT_G1;
        }
        if (min.getOrigin() != VMOption.Origin.DEFAULT || max.getOrigin() != VMOption.Origin.DEFAULT) {
            return Outcome.LEFT_AS_GIVEN;
        }
        if (maxHeapBytes > LARGEST_HEAP_BYTES) {
            return Outcome.LARGE_HEAP;
        }
        // The JVM refuses a minimum above the maximum, so the maximum goes up first.
        vm.setVMOption(MAX_FREE, "100");
        vm.setVMOption(MIN_FREE, String.valueOf(MIN_FREE_PERCENT));
        System.gc(); // Grows the heap now, by the ratios just set (see above); a no-op with -XX:+DisableExplicitGC.
        return Outcome.SET;
    }

    /**
     * What to tell the operator of a small G1 heap with G1's adaptive marking threshold on (its default), or empty.
     * Uploads of 512 KB and more are humongous allocations in a heap of 256 MB, counted as old-generation
     * allocation; once G1 has seen a few marking cycles, it sets aside its young generation plus the old-generation
     * allocation it predicts during the next cycle (upload rate times marking time), and when that is more than the
     * heap the threshold falls to zero and every upload starts a cycle, which can cost the collector as much CPU as
     * the thumbnails themselves (BENCHMARKS.md, End to end). A fixed threshold cannot fall that way. The flag cannot
     * be changed in a running JVM, hence advice.
     */
    public static Optional<String> adaptiveThresholdAdvice(HotSpotDiagnosticMXBean vm, long maxHeapBytes) {
        VMOption adaptive;
        try {
            if (!"true".equals(vm.getVMOption(G1).getValue())) {
                return Optional.empty();
            }
            adaptive = vm.getVMOption(ADAPTIVE_IHOP);
        } catch (IllegalArgumentException noSuchFlag) {
            return Optional.empty();
        }
        if (maxHeapBytes > LARGEST_HEAP_BYTES || !"true".equals(adaptive.getValue())
                || adaptive.getOrigin() != VMOption.Origin.DEFAULT) {
            return Optional.empty();
        }
        return Optional.of("with a heap of " + (maxHeapBytes >> 20) + " MB, start the JVM with -XX:-G1UseAdaptiveIHOP:"
                + " under steady uploads G1's adaptive marking threshold can fall to zero, and garbage collection then"
                + " costs half or more of the CPU the thumbnails take (see README, The server)");
    }
}
