package io.thumbnail.threads;

import io.thumbnail.internal.worker.ThreadNice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The nice values of this JVM's threads, read from Linux's {@code /proc}, for the worker priority tests. */
public final class WorkerThreads {
    /** This process's threads; absent where there is no Linux {@code /proc}. */
    public static final Path TASKS = Path.of("/proc/self/task");
    /** {@code thumbnail-worker-N} as Linux keeps a thread's name: its first 15 characters. */
    public static final String WORKERS = "thumbnail-worke";
    /** {@code thumbnail-finisher-N}, likewise. */
    public static final String FINISHERS = "thumbnail-finis";

    private WorkerThreads() {
    }

    /** Whether nice values can be read and lowered here: Linux {@code /proc} and util-linux {@code renice}. */
    public static boolean canRenice() {
        return Files.isDirectory(TASKS)
                && (Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")));
    }

    /** Thread id to nice value of this JVM's worker threads. */
    public static Map<String, Integer> niceValues() throws IOException {
        return niceValues(WORKERS);
    }

    /** Thread id to nice value of this JVM's threads whose name starts {@code comm} (15 characters at most). */
    public static Map<String, Integer> niceValues(String comm) throws IOException {
        Map<String, Integer> values = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(TASKS)) {
            for (Path thread : threads) {
                try {
                    if (Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).strip().equals(comm)) {
                        values.put(thread.getFileName().toString(),
                                ThreadNice.niceOf(Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8)));
                    }
                } catch (IOException ended) {
                    // A worker of a service closed by another test ended while we looked.
                }
            }
        }
        return values;
    }

    /** The nice values of the worker threads that were not there in {@code before}: a service's started since. */
    public static List<Integer> startedSince(Map<String, Integer> before) throws IOException {
        return startedSince(before, WORKERS);
    }

    /** As {@link #startedSince(Map)}, of the threads whose name starts {@code comm}. */
    public static List<Integer> startedSince(Map<String, Integer> before, String comm) throws IOException {
        Map<String, Integer> now = niceValues(comm);
        now.keySet().removeAll(before.keySet());
        return List.copyOf(now.values());
    }

    /** The calling thread's nice value. */
    public static int ownNice() throws IOException {
        return ThreadNice.niceOf(Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.UTF_8));
    }
}
