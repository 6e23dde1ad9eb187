package io.thumbnail.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/** This JVM's CPU time: the whole process's, the current thread's, threads' by name; and a wait for a quiet JIT. */
final class JvmCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JvmCpu() {
    }

    /** CPU nanoseconds the process has used so far, every thread (GC and JIT included). */
    static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** CPU nanoseconds used so far by the live threads whose names start with {@code prefix}. */
    static long threadNanos(String prefix) {
        long sum = 0;
        for (ThreadInfo t : THREADS.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith(prefix)) {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /**
     * Waits (at most a second) until the JIT has compiled nothing for 50 ms, so that compilations the previous run or
     * the service's opening queued are not billed to the run about to be timed.
     */
    static void letJitSettle() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long seen = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            long now = jit.getTotalCompilationTime();
            quiet = now == seen ? quiet + 1 : 0;
            seen = now;
        }
    }
}
