package io.thumbnail.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JVM's own threads' CPU time by kind (the thread's name less a trailing {@code -N}: {@code thumbnail-worker},
 * {@code thumbnail-finisher}, {@code main}, ...), in nanoseconds from {@link ThreadMXBean}: finer than the
 * {@code /proc} ticks of {@link ThreadCpu}, which is what a step of a fraction of a millisecond per job needs.
 * Threads that end between two snapshots are not counted.
 */
final class JavaThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JavaThreadCpu() {
    }

    /** CPU nanoseconds so far, and the kind, of each live thread by id. */
    record Snapshot(Map<Long, Long> nanos, Map<Long, String> kind) {
    }

    static Snapshot take() {
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> kind = new HashMap<>();
        for (ThreadInfo t : THREADS.dumpAllThreads(false, false)) {
            long cpu = THREADS.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                nanos.put(t.getThreadId(), cpu);
                kind.put(t.getThreadId(), kindOf(t.getThreadName()));
            }
        }
        return new Snapshot(nanos, kind);
    }

    static String kindOf(String name) {
        return name.replaceFirst("-\\d+$", "");
    }

    /** CPU nanoseconds by kind of thread from {@code before} to {@code after}, kinds sorted by name. */
    static Map<String, Long> between(Snapshot before, Snapshot after) {
        Map<String, Long> byKind = new TreeMap<>();
        after.nanos().forEach((id, cpu) -> {
            long used = cpu - before.nanos().getOrDefault(id, 0L);
            if (used > 0) {
                byKind.merge(after.kind().get(id), used, Long::sum);
            }
        });
        return byKind;
    }
}
