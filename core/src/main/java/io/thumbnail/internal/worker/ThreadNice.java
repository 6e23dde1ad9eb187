package io.thumbnail.internal.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a thread lower its own scheduling priority: on Linux a thread's nice value is its own, and raising it needs no
 * privilege, whereas Java's thread priorities do nothing there without root and a JVM flag. A worker thread that
 * keeps a core busy at nice 10 still gets it whenever nothing else wants it, but a request thread that wakes up gets a
 * core first.
 *
 * <p>Linux only and best effort: the thread finds its id through {@code /proc/thread-self} and runs util-linux's
 * {@code renice} on it. Where that cannot be done (not Linux, no {@code renice}) nothing changes, and the first
 * failure is logged once, with the reason. A thread already at the value or lower in priority is left as it is:
 * this only ever lowers.
 */
public final class ThreadNice {
    private static final Logger log = LoggerFactory.getLogger(ThreadNice.class);
    /** Linux's lowest priority. */
    public static final int MAX = 19;
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final AtomicBoolean reportedUnavailable = new AtomicBoolean();

    private final Path threadSelf;
    private final String renice;

    ThreadNice(Path threadSelf, String renice) {
        this.threadSelf = threadSelf;
        this.renice = renice;
    }

    /** Sets the calling thread's nice value to {@code nice} (1 to 19) if it is lower; see {@link #lower(int)}. */
    public static boolean lowerCurrentThread(int nice) {
        return new ThreadNice(THREAD_SELF, "renice").lower(nice);
    }

    /**
     * Sets the calling thread's nice value to {@code nice} unless it is that already or higher; returns whether the
     * thread now runs at {@code nice} or lower priority. Never throws: a thread that cannot be lowered runs on as it
     * was.
     */
    boolean lower(int nice) {
        if (nice < 1 || nice > MAX) {
            throw new IllegalArgumentException("nice must be between 1 and " + MAX + " (was " + nice + ")");
        }
        String why;
        try {
            int current = niceOf(Files.readString(threadSelf.resolve("stat"), StandardCharsets.UTF_8));
            if (current >= nice) {
                return true;
            }
            String id = threadSelf.toRealPath().getFileName().toString();
            Process process = new ProcessBuilder(List.of(renice, "-n", String.valueOf(nice), "-p", id))
                    .redirectErrorStream(true).start();
            // One line of output at most; read before waiting so the pipe can never fill.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                why = renice + " did not finish within 10 s";
            } else if (process.exitValue() != 0) {
                why = renice + " failed (exit " + process.exitValue() + "): " + output;
            } else {
                log.debug("{} runs at nice {}", Thread.currentThread().getName(), nice);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // No /proc/thread-self (not Linux, or a kernel before 3.17), or no renice to run.
            why = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (reportedUnavailable.compareAndSet(false, true)) {
            log.info("worker threads keep the default priority: could not set nice {} ({}); status requests may wait"
                    + " behind busy workers", nice, why);
        }
        return false;
    }

    /** Field 19 of a {@code stat} line; the name in field 2 is in parentheses and may hold spaces and parentheses. */
    public static int niceOf(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        if (after.length <= 16) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        return Integer.parseInt(after[16]);
    }
}
