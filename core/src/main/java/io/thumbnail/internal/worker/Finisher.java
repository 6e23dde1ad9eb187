package io.thumbnail.internal.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stores made thumbnails and marks their jobs done on threads of its own, so a worker goes on to its next decode while
 * the thumbnail is forced to disk: an fsync of the file and its folder often takes as long as a tenth of a photo's
 * decode, time in which the worker's core would otherwise sit idle. The job keeps its lease (the heartbeat renews it)
 * until it is recorded done, so nothing changes for anyone reading the store.
 *
 * <p>Bounded: when as many thumbnails wait as the queue holds, the worker stores the oldest waiting one itself and then
 * queues its own, which slows claiming to what the disk can take. Never its own first: a thumbnail made later must
 * not be recorded before those waiting (a high-priority job claimed first would be done after low ones claimed
 * behind it).
 *
 * <p>Its threads run at the workers' nice value ({@link WorkerPool}): each thumbnail's writes wake a finisher thread
 * several times (each fsync sleeps), and at a higher priority than the workers' each wake-up would take a core from a
 * worker in the middle of its decode, at a cost to the worker's caches as well as the switch.
 */
public final class Finisher implements Executor {
    private static final Logger log = LoggerFactory.getLogger(Finisher.class);

    private final ThreadPoolExecutor pool;

    /** {@code nice}: the nice value each thread gives itself when it starts, with its first thumbnail; 0 for none. */
    public Finisher(int threads, int queueCapacity, int nice) {
        NamedThreadFactory named = new NamedThreadFactory("thumbnail-finisher");
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), task -> named.newThread(() -> {
                    if (nice > 0) {
                        ThreadNice.lowerCurrentThread(nice);
                    }
                    task.run();
                }));
    }

    /**
     * Queues {@code task} for a finisher thread. With the queue full the caller runs the oldest waiting task until
     * there is room; after {@link #stop} (a worker that shutdown left behind) it runs {@code task} itself.
     */
    @Override
    public void execute(Runnable task) {
        while (true) {
            try {
                pool.execute(task);
                return;
            } catch (RejectedExecutionException e) {
                if (pool.isShutdown()) {
                    task.run();
                    return;
                }
                Runnable oldest = pool.getQueue().poll();
                if (oldest != null) {
                    runBorrowed(oldest);
                }
            }
        }
    }

    /**
     * Runs another job's task on the caller's thread. Whatever it throws is that task's alone: the caller's own task
     * must still be queued, as it would be had a finisher thread run this one.
     */
    private static void runBorrowed(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("storing a thumbnail failed outside its job's guard", e);
        }
    }

    /**
     * Finishes what is queued, waiting up to {@code timeout}; then interrupts what still runs (its job stays
     * processing and is taken up again on the next start). Returns whether everything finished.
     */
    public boolean stop(Duration timeout) {
        pool.shutdown();
        try {
            if (pool.awaitTermination(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int dropped = pool.shutdownNow().size();
        log.warn("thumbnails still being stored after {} ({} not started); their jobs stay processing until the next"
                + " start", timeout, dropped);
        return false;
    }
}
