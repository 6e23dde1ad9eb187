package io.thumbnail.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets request threads go before the image workers when both want a core. With as many workers as cores, the
 * workers keep every core busy, and a status request had to wait for a time slice behind them: a few milliseconds
 * at the 95th percentile. Java thread priorities do nothing on Linux without root and a JVM flag, but a thread's nice
 * value is its own there, and raising it needs no privilege; so the worker threads get {@value #WORKER_NICE}, which
 * costs them nothing while the cores are otherwise idle.
 *
 * <p>Linux only, through {@code /proc/self/task} and util-linux's {@code renice}; elsewhere, or without
 * {@code renice}, nothing changes. Workers are found by the name Linux keeps for a thread (its first 15 characters).
 * The server repeats this now and then, for a worker that replaced one abandoned after its job's time limit.
 */
public final class WorkerPriority {
    static final int WORKER_NICE = 10;
    /** {@code thumbnail-worker-N} as Linux keeps it. */
    static final String WORKER_NAME = "thumbnail-worke";

    private WorkerPriority() {
    }

    /**
     * Raises the nice value of every worker thread of this process to {@value #WORKER_NICE}; returns how many it
     * changed (0 where it cannot).
     */
    public static int lowerWorkers() throws InterruptedException {
        return lower(Path.of("/proc/self/task"), WORKER_NAME, WORKER_NICE);
    }

    /**
     * Sets {@code nice} on the threads under {@code tasks} whose name is {@code name} and whose nice value is not
     * that already; returns how many. Cheap to repeat: with nothing to change, no process is started.
     */
    static int lower(Path tasks, String name, int nice) throws InterruptedException {
        List<String> ids = threadIds(tasks, name, nice);
        if (ids.isEmpty()) {
            return 0;
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", String.valueOf(nice), "-p"));
        command.addAll(ids);
        try {
            Process renice = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(10, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return 0;
            }
            return renice.exitValue() == 0 ? ids.size() : 0;
        } catch (IOException noRenice) {
            return 0;
        }
    }

    /**
     * The ids of the threads named {@code name} whose nice value is not {@code nice}; none if {@code tasks} cannot be
     * read (not Linux).
     */
    static List<String> threadIds(Path tasks, String name, int nice) {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    if (Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).strip().equals(name)
                            && niceOf(Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8)) != nice) {
                        ids.add(thread.getFileName().toString());
                    }
                } catch (IOException ended) {
                    // The thread ended while we looked.
                }
            }
        } catch (IOException notLinux) {
            return List.of();
        }
        return ids;
    }

    /** Field 19 of a {@code stat} line; the name in field 2 is in parentheses and may hold spaces. */
    static int niceOf(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return after.length > 16 ? Integer.parseInt(after[16].strip()) : 0;
    }
}
