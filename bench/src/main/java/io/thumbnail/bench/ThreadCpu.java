package io.thumbnail.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A process's CPU time by kind of thread, from {@code /proc/PID/task/TID/{comm,stat}} (Linux only; empty
 * elsewhere): where the server's CPU per job goes, beside the bare pipeline's.
 */
final class ThreadCpu {
    static final List<String> GROUPS = List.of("workers", "request threads", "JIT", "GC", "other");

    private ThreadCpu() {
    }

    /** CPU milliseconds per thread id, with the thread's group. */
    record Sample(Map<String, String> groupOf, Map<String, Long> millis) {
    }

    static Sample of(long pid) {
        Map<String, String> groupOf = new LinkedHashMap<>();
        Map<String, Long> millis = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String id = task.getFileName().toString();
                    groupOf.put(id, group(comm));
                    millis.put(id, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10);
                } catch (IOException | RuntimeException ended) {
                    // The thread ended while we read it.
                }
            }
        } catch (IOException notLinux) {
            // No /proc: an empty sample.
        }
        return new Sample(groupOf, millis);
    }

    /** The group of a thread by the name Linux keeps for it (15 characters). */
    static String group(String comm) {
        if (comm.startsWith("thumbnail-worke") || comm.startsWith(BarePipeline.THREAD_PREFIX)) {
            return "workers";
        }
        // Jetty's pool (http-N), and the executor that stores an upload once its body is in (upload-submit-N).
        if (comm.startsWith("http-") || comm.startsWith("upload-submit") || comm.startsWith("JettyServerThre")
                || comm.startsWith("qtp")) {
            return "request threads";
        }
        if (comm.contains("CompilerThre")) {
            return "JIT";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "GC";
        }
        return "other";
    }

    /** CPU milliseconds of the threads of {@code group} between the two samples (threads that ended are missed). */
    static long groupMillis(Sample before, Sample after, String group) {
        long sum = 0;
        for (Map.Entry<String, Long> e : after.millis().entrySet()) {
            if (group.equals(after.groupOf().get(e.getKey()))) {
                sum += e.getValue() - before.millis().getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }

    /**
     * {@code workers 16.0, request threads 4.9, ...} in CPU ms per job between the two samples. Time in
     * {@code totalMillis} (the whole process's, over the same span) that no surviving thread accounts for, that of
     * threads that ended meanwhile, is counted in {@code endedGroup}.
     */
    static String perJob(Sample before, Sample after, long jobs, long totalMillis, String endedGroup) {
        Map<String, Double> byGroup = perJobByGroup(before, after, jobs, totalMillis, endedGroup);
        if (byGroup.isEmpty()) {
            return "n/a (no /proc)";
        }
        StringJoiner out = new StringJoiner(", ");
        byGroup.forEach((g, ms) -> out.add(String.format(Locale.ROOT, "%s %.1f", g, ms)));
        return out + " ms";
    }

    /** As {@link #perJob}, as CPU ms per job by group in {@link #GROUPS}' order; empty without /proc. */
    static Map<String, Double> perJobByGroup(Sample before, Sample after, long jobs, long totalMillis,
                                             String endedGroup) {
        Map<String, Double> perJob = new LinkedHashMap<>();
        if (after.millis().isEmpty() || jobs < 1) {
            return perJob;
        }
        Map<String, Long> byGroup = new LinkedHashMap<>();
        GROUPS.forEach(g -> byGroup.put(g, 0L));
        after.millis().forEach((id, ms) -> byGroup.merge(after.groupOf().get(id),
                ms - before.millis().getOrDefault(id, 0L), Long::sum));
        long seen = byGroup.values().stream().mapToLong(Long::longValue).sum();
        byGroup.merge(endedGroup, Math.max(0, totalMillis - seen), Long::sum);
        byGroup.forEach((g, ms) -> perJob.put(g, ms / (double) jobs));
        return perJob;
    }

    /** The groups of a {@link #perJob} line ({@code workers 16.0, request threads 4.9, ... ms}); empty if none. */
    static Map<String, Double> parse(String line) {
        Map<String, Double> byGroup = new LinkedHashMap<>();
        for (String part : line.strip().replaceFirst(" ms$", "").split(", ")) {
            int space = part.lastIndexOf(' ');
            if (space > 0 && GROUPS.contains(part.substring(0, space))) {
                try {
                    byGroup.put(part.substring(0, space), Double.parseDouble(part.substring(space + 1)));
                } catch (NumberFormatException notAFigure) {
                    // Not a line of perJob's.
                }
            }
        }
        return byGroup;
    }
}
