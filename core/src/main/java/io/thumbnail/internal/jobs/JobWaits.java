package io.thumbnail.internal.jobs;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.ThumbnailException;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Callers waiting for jobs to finish, woken by the change itself rather than by polling: {@link #await} holds a thread,
 * {@link #awaitAsync} none. {@link JobEvents} hands over every finished job (this node's at its commit, another node's
 * once read) and every deletion, which ends a wait at once. A wait is registered before the job is first read, so a
 * change committed between that read and the wait is never missed.
 */
public final class JobWaits {
    /** Each waiter's future completes with the finished job, or with null when the job was deleted. */
    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Job>>> waiters = new ConcurrentHashMap<>();
    /** Set once by {@link #endWaits}: every await from then on fails with it. */
    private volatile ThumbnailException waitsEnded;

    /**
     * Waits until the job is finished or the timeout passes; returns its state then, or empty if {@code current}
     * finds no such job (or no longer: a deletion ends the wait at once).
     *
     * @throws ThumbnailException {@code unavailable} once {@link #endWaits} has been called, at once for a wait
     *                            already in progress
     */
    public Optional<Job> await(UUID id, Duration timeout, Supplier<Optional<Job>> current) throws InterruptedException {
        CompletableFuture<Job> finished = register(id);
        try {
            Optional<Job> now = firstRead(current);
            if (now.isEmpty() || now.get().status().isFinished()) {
                return now;
            }
            try {
                Job job = finished.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
                return job != null ? Optional.of(job) : current.get();
            } catch (TimeoutException e) {
                return current.get();
            } catch (ExecutionException e) {
                throw ended(e.getCause());
            }
        } finally {
            forget(id, finished);
        }
    }

    /**
     * As {@link #await} without a thread waiting: the future completes with the job once it is finished, or with what
     * {@code current} finds when the timeout passes, or at once when the job is finished already or unknown (empty);
     * exceptionally with {@code unavailable} once {@link #endWaits} has been called. A deletion or {@link #endWaits}
     * ends it just as it ends {@link #await}. Only a cheap completion runs on the thread that commits the change, ends
     * the waits, or on the timer; everything after it, reading {@code current} included, runs on {@code executor}.
     */
    public CompletableFuture<Optional<Job>> awaitAsync(UUID id, Duration timeout, Supplier<Optional<Job>> current,
                                                       Executor executor) {
        CompletableFuture<Job> finished = register(id);
        Optional<Job> now;
        try {
            now = firstRead(current);
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
                        throw ended(failure);
                    }
                    return job != null ? Optional.of(job) : current.get();
                }, executor);
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

    /** How many waits ({@link #await} and {@link #awaitAsync}) are in progress now. */
    public int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    /** The jobs waited for now. */
    public Set<UUID> awaited() {
        return Set.copyOf(waiters.keySet());
    }

    /** Wakes the waits for {@code job}, if it is finished. */
    void changed(Job job) {
        if (job.status().isFinished()) {
            wake(job.id(), job);
        }
    }

    /** Wakes the waits for a deleted job: they look again, and find it gone. */
    void deleted(UUID id) {
        wake(id, null);
    }

    private void wake(UUID id, Job job) {
        Set<CompletableFuture<Job>> waiting = waiters.remove(id);
        if (waiting != null) {
            waiting.forEach(f -> f.complete(job));
        }
    }

    /** A new wait for {@code id}, registered before the job is read so that no completion after the read is missed. */
    private CompletableFuture<Job> register(UUID id) {
        CompletableFuture<Job> finished = new CompletableFuture<>();
        waiters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(finished);
        return finished;
    }

    /**
     * The job as {@code current} reads it, once the wait is registered. Checked after registering: {@link #endWaits}
     * either ended the wait or had not started when this checks.
     */
    private Optional<Job> firstRead(Supplier<Optional<Job>> current) {
        throwIfWaitsEnded();
        return current.get();
    }

    private void forget(UUID id, CompletableFuture<Job> waiter) {
        waiters.computeIfPresent(id, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** What a wait completed exceptionally throws: {@code unavailable} once the waits ended. */
    private RuntimeException ended(Throwable failure) {
        throwIfWaitsEnded();
        return new IllegalStateException("await was completed exceptionally", failure);
    }

    private void throwIfWaitsEnded() {
        ThumbnailException ended = waitsEnded;
        if (ended != null) {
            // A new exception per caller: its stack is the caller's, the shared one's the closing thread's.
            throw new ThumbnailException(ended.code(), ended.getMessage());
        }
    }
}
