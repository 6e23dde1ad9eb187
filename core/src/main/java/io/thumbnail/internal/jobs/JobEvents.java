package io.thumbnail.internal.jobs;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobListener;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Job state changes, fanned out. The store hands each committed change to {@link #accept} in commit order; waiters
 * in {@link #await} and {@link #awaitAsync} are woken at once, and one named thread logs the change and tells the listeners in that same
 * order, so a slow listener never holds up a worker or the database. Jobs finished by other nodes sharing the database
 * arrive through {@link #remote}: they wake waiters and reach listeners the same way, and are logged by their node.
 */
public final class JobEvents implements Consumer<Job> {
    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final Delivery STOP = new Delivery(null, false);

    /**
     * A change to deliver (this node's, or another's), or a deletion; or, with {@code reached}, a mark counted down
     * once all before it are.
     */
    private record Delivery(Job job, boolean deleted, boolean remote, CountDownLatch reached) {
        Delivery(Job job, boolean deleted) {
            this(job, deleted, false, null);
        }
    }

    private final BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    private final CopyOnWriteArrayList<JobListener> listeners = new CopyOnWriteArrayList<>();
    /** Each waiter's future completes with the finished job, or with null when the job was deleted. */
    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Job>>> waiters = new ConcurrentHashMap<>();
    private final Thread dispatcher;
    /** Set once by {@link #endWaits}: every await from then on fails with it. */
    private volatile ThumbnailException waitsEnded;
    /** Guarded by {@code this}: once true, every listener has been (or is being) told {@code onClose}. */
    private boolean listenersClosed;

    public JobEvents() {
        dispatcher = new Thread(this::dispatch, "thumbnail-events");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public void accept(Job job) {
        if (job.status().isFinished()) {
            wake(job.id(), job);
        }
        queue.add(new Delivery(job, false));
    }

    /** A job another node finished, read after its commit: its waiters are woken, listeners told (not logged here). */
    public void remote(Job job) {
        if (job.status().isFinished()) {
            wake(job.id(), job);
        }
        queue.add(new Delivery(job, false, true, null));
    }

    /** The jobs waited for now. */
    public Set<UUID> awaited() {
        return Set.copyOf(waiters.keySet());
    }

    /** What other nodes sharing the store tell, handed here; jobs they queued wake {@code wakeWorkers}. */
    public JobStore.RemoteChanges remoteChanges(Runnable wakeWorkers) {
        return new JobStore.RemoteChanges() {
            @Override
            public void finished(Job job) {
                remote(job);
            }

            @Override
            public void queued() {
                wakeWorkers.run();
            }

            @Override
            public Set<UUID> awaited() {
                return JobEvents.this.awaited();
            }
        };
    }

    /** A job was deleted (after the commit): its waiters look again (and find it gone), listeners are told. */
    public void deleted(Job job) {
        wake(job.id(), null);
        queue.add(new Delivery(job, true));
    }

    public AutoCloseable addListener(JobListener listener) {
        boolean late;
        synchronized (this) {
            late = listenersClosed;
            if (!late) {
                listeners.add(listener);
            }
        }
        if (late) {
            tellClosed(listener);
        }
        return () -> listeners.remove(listener);
    }

    /**
     * Waits until the job is finished or the timeout passes; returns its state then, or empty if {@code current}
     * finds no such job (or no longer: a deletion ends the wait at once).
     *
     * @throws ThumbnailException {@code unavailable} once {@link #endWaits} has been called, at once for a wait
     *                            already in progress
     */
    public Optional<Job> await(UUID id, Duration timeout, Supplier<Optional<Job>> current) throws InterruptedException {
        CompletableFuture<Job> finished = new CompletableFuture<>();
        // Register before reading, so a completion between the read and the wait is not missed.
        waiters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(finished);
        try {
            // Checked after registering: endWaits either ended this wait or had not started when it was checked.
            throwIfWaitsEnded();
            Optional<Job> now = current.get();
            if (now.isEmpty() || now.get().status().isFinished()) {
                return now;
            }
            try {
                Job job = finished.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
                return job != null ? Optional.of(job) : current.get();
            } catch (TimeoutException e) {
                return current.get();
            } catch (ExecutionException e) {
                throwIfWaitsEnded();
                throw new IllegalStateException("await was completed exceptionally", e.getCause());
            }
        } finally {
            forget(id, finished);
        }
    }

    /**
     * As {@link #await} without a thread waiting: the future completes with the job once it is finished, or with what
     * {@code current} finds when the timeout passes, or at once when the job is finished already or unknown (empty);
     * exceptionally with {@code unavailable} once {@link #endWaits} has been called. A wait is registered with the
     * same waiters as {@link #await}, so a deletion or {@link #endWaits} ends it just the same. Only a cheap
     * completion runs on the thread that commits the change, ends the waits, or on the timer; everything after it,
     * reading {@code current} included, runs on {@code executor}.
     */
    public CompletableFuture<Optional<Job>> awaitAsync(UUID id, Duration timeout, Supplier<Optional<Job>> current,
                                                       Executor executor) {
        CompletableFuture<Job> finished = new CompletableFuture<>();
        // Register before reading, so a completion between the read and the wait is not missed.
        waiters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(finished);
        Optional<Job> now;
        try {
            // Checked after registering: endWaits either ended this wait or had not started when it was checked.
            throwIfWaitsEnded();
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
                .handleAsync((job, failure) -> {
                    forget(id, finished);
                    if (failure != null) {
                        throwIfWaitsEnded();
                        throw new IllegalStateException("await was completed exceptionally", failure);
                    }
                    return job != null ? Optional.of(job) : current.get();
                }, executor);
    }

    private void forget(UUID id, CompletableFuture<Job> waiter) {
        waiters.computeIfPresent(id, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Ends every wait in progress and refuses those to come with {@code unavailable}, so a closing service answers
     * its waiting callers instead of leaving them to be cut off.
     */
    public void endWaits(String reason) {
        waitsEnded = new ThumbnailException(ErrorCode.UNAVAILABLE, reason);
        for (UUID id : waiters.keySet()) {
            Set<CompletableFuture<Job>> waiting = waiters.remove(id);
            if (waiting != null) {
                waiting.forEach(f -> f.completeExceptionally(waitsEnded));
            }
        }
    }

    /**
     * Waits until every change reported so far has been delivered to the listeners, or the timeout passes; whether
     * they have been. For callers driving the service by hand, whose next step reads what a listener did.
     */
    public boolean awaitDelivered(Duration timeout) {
        CountDownLatch reached = new CountDownLatch(1);
        queue.add(new Delivery(null, false, false, reached));
        try {
            return reached.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many waits ({@link #await} and {@link #awaitAsync}) are in progress now. */
    public int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Delivers what is queued, tells the listeners {@code onClose}, then stops the dispatcher; waits at most
     * {@code timeout}. Listeners the dispatcher did not reach in time are told {@code onClose} on this thread.
     */
    public void close(Duration timeout) {
        queue.add(STOP);
        try {
            dispatcher.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dispatcher.isAlive()) {
            long dropped = queue.stream().filter(delivery -> delivery != STOP).count();
            if (dropped > 0) {
                log.warn("job event delivery did not finish within {}; {} events dropped", timeout, dropped);
            }
            dispatcher.interrupt();
        }
        closeListeners();
    }

    private void wake(UUID id, Job job) {
        Set<CompletableFuture<Job>> waiting = waiters.remove(id);
        if (waiting != null) {
            waiting.forEach(f -> f.complete(job));
        }
    }

    private void throwIfWaitsEnded() {
        ThumbnailException ended = waitsEnded;
        if (ended != null) {
            // A new exception per caller: its stack is the caller's, the shared one's the closing thread's.
            throw new ThumbnailException(ended.code(), ended.getMessage());
        }
    }

    private void dispatch() {
        try {
            while (true) {
                Delivery next = queue.take();
                if (next == STOP) {
                    closeListeners();
                    return;
                }
                if (next.reached() != null) {
                    next.reached().countDown();
                } else if (next.deleted()) {
                    deliver(next.job(), listener -> listener.onDelete(next.job()));
                } else if (next.remote()) {
                    deliver(next.job(), listener -> listener.onRemoteChange(next.job()));
                } else {
                    logChange(next.job());
                    deliver(next.job(), listener -> listener.onChange(next.job()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Job job, Consumer<JobListener> call) {
        for (JobListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("job listener {} failed on job {}", listener, job.id(), e);
            }
        }
    }

    private void closeListeners() {
        List<JobListener> toClose;
        synchronized (this) {
            if (listenersClosed) {
                return;
            }
            listenersClosed = true;
            toClose = List.copyOf(listeners);
        }
        toClose.forEach(JobEvents::tellClosed);
    }

    private static void tellClosed(JobListener listener) {
        try {
            listener.onClose();
        } catch (RuntimeException e) {
            log.warn("job listener {} failed when told the service closed", listener, e);
        }
    }

    private static void logChange(Job job) {
        switch (job.status()) {
            case DONE -> log.info("job {} done: {} {}x{} in attempt {}", job.id(), job.result().format().id(),
                    job.result().width(), job.result().height(), job.attempts());
            case FAILED -> log.info("job {} failed: {} ({})", job.id(), job.error().code(), job.error().message());
            case QUEUED -> log.info(job.attempts() == 0 ? "job {} queued" : "job {} queued for retry after {}",
                    job.id(), job.error() == null ? "a lost lease" : job.error().code());
            case PROCESSING -> log.info("job {} processing on {}, attempt {}", job.id(), job.node(), job.attempts());
        }
    }
}
