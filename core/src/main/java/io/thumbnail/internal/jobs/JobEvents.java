package io.thumbnail.internal.jobs;

import io.thumbnail.Job;
import io.thumbnail.JobListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Job state changes, fanned out. The store hands each committed change to {@link #accept} in commit order; waiters
 * in {@link #await} are woken at once, and one named thread logs the change and tells the listeners in that same
 * order, so a slow listener never holds up a worker or the database.
 */
public final class JobEvents implements Consumer<Job> {
    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final Job STOP = new Job(new UUID(0, 0), null, null, null, null, null, 0, null, null, null, null,
            null);

    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final CopyOnWriteArrayList<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Job>>> waiters = new ConcurrentHashMap<>();
    private final Thread dispatcher;

    public JobEvents() {
        dispatcher = new Thread(this::dispatch, "thumbnail-events");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public void accept(Job job) {
        if (job.status().isFinished()) {
            Set<CompletableFuture<Job>> waiting = waiters.remove(job.id());
            if (waiting != null) {
                waiting.forEach(f -> f.complete(job));
            }
        }
        queue.add(job);
    }

    public AutoCloseable addListener(JobListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Waits until the job is finished or the timeout passes; returns its state then, or empty if {@code current}
     * finds no such job.
     */
    public Optional<Job> await(UUID id, Duration timeout, Supplier<Optional<Job>> current) throws InterruptedException {
        CompletableFuture<Job> finished = new CompletableFuture<>();
        // Register before reading, so a completion between the read and the wait is not missed.
        waiters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(finished);
        try {
            Optional<Job> now = current.get();
            if (now.isEmpty() || now.get().status().isFinished()) {
                return now;
            }
            try {
                return Optional.of(finished.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                return current.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("await was completed exceptionally", e.getCause());
            }
        } finally {
            forget(id, finished);
        }
    }

    /**
     * As {@link #await} without a thread waiting: the future completes with the job once it is finished, or with what
     * {@code current} finds when the timeout passes, or at once when the job is finished already or unknown (empty).
     * Only a cheap completion runs on the thread that commits the change or on the timer; everything after it,
     * reading {@code current} included, runs on {@code executor}.
     */
    public CompletableFuture<Optional<Job>> awaitAsync(UUID id, Duration timeout, Supplier<Optional<Job>> current,
                                                       Executor executor) {
        CompletableFuture<Job> finished = new CompletableFuture<>();
        // Register before reading, so a completion between the read and the wait is not missed.
        waiters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(finished);
        Optional<Job> now;
        try {
            now = current.get();
        } catch (RuntimeException e) {
            forget(id, finished);
            throw e;
        }
        if (now.isEmpty() || now.get().status().isFinished()) {
            forget(id, finished);
            return CompletableFuture.completedFuture(now);
        }
        return finished.completeOnTimeout(null, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)
                .thenApplyAsync(job -> {
                    forget(id, finished);
                    return job != null ? Optional.of(job) : current.get();
                }, executor);
    }

    private void forget(UUID id, CompletableFuture<Job> waiter) {
        waiters.computeIfPresent(id, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** Delivers what is queued, then stops the dispatcher; waits at most {@code timeout}. */
    public void close(Duration timeout) {
        queue.add(STOP);
        try {
            dispatcher.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dispatcher.isAlive()) {
            log.warn("job event delivery did not finish within {}; {} events dropped", timeout, queue.size());
            dispatcher.interrupt();
        }
    }

    private void dispatch() {
        try {
            while (true) {
                Job job = queue.take();
                if (job == STOP) {
                    return;
                }
                logChange(job);
                for (JobListener listener : listeners) {
                    try {
                        listener.onChange(job);
                    } catch (RuntimeException e) {
                        log.warn("job listener {} failed on job {}", listener, job.id(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void logChange(Job job) {
        switch (job.status()) {
            case DONE -> log.info("job {} done: {} {}x{} in attempt {}", job.id(), job.result().format().id(),
                    job.result().width(), job.result().height(), job.attempts());
            case FAILED -> log.info("job {} failed: {} ({})", job.id(), job.error().code(), job.error().message());
            case QUEUED -> log.info(job.attempts() == 0 ? "job {} queued" : "job {} queued for retry after {}",
                    job.id(), job.error() == null ? "a lost lease" : job.error().code());
            case PROCESSING -> log.info("job {} processing, attempt {}", job.id(), job.attempts());
        }
    }
}
