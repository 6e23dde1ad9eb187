package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the worker threads' wall-clock time went over a run, from {@code /proc/self/task/TID/schedstat} (Linux
 * only): on a core, runnable but waiting for one, or neither (blocked: a lock, a queue, the disk). Two runs with the
 * same CPU per job but different throughput differ in the last two.
 */
final class WorkerTime {
    private final Map<String, long[]> byThread;
    private final long at;

    private WorkerTime(Map<String, long[]> byThread, long at) {
        this.byThread = byThread;
        this.at = at;
    }

    /** Running and waiting nanoseconds so far of every live worker thread ({@link ThreadCpu#group}). */
    static WorkerTime take() {
        Map<String, long[]> byThread = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (ThreadCpu.group(Files.readString(task.resolve("comm")).strip()).equals("workers")) {
                        String[] f = Files.readString(task.resolve("schedstat")).strip().split(" ");
                        byThread.put(task.getFileName().toString(),
                                new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                    }
                } catch (IOException | RuntimeException ended) {
                    // The thread ended while we read it.
                }
            }
        } catch (IOException notLinux) {
            // No /proc: nothing to say.
        }
        return new WorkerTime(byThread, System.nanoTime());
    }

    /**
     * {@code on a core 91.2 %, waiting for one 5.1 %, blocked 3.7 %} of the {@code workers} threads' wall time
     * since {@code before}. Only threads alive at both samples count.
     */
    String since(WorkerTime before, int workers) {
        long running = 0;
        long waiting = 0;
        for (Map.Entry<String, long[]> e : byThread.entrySet()) {
            long[] then = before.byThread.get(e.getKey());
            if (then != null) {
                running += e.getValue()[0] - then[0];
                waiting += e.getValue()[1] - then[1];
            }
        }
        double wall = (double) (at - before.at) * workers;
        if (byThread.isEmpty() || wall <= 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "on a core %.1f %%, waiting for one %.1f %%, blocked %.1f %%",
                running / wall * 100, waiting / wall * 100, (wall - running - waiting) / wall * 100);
    }
}
