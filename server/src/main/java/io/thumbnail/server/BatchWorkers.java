package io.thumbnail.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Runs a batch's tasks, in order, on a few threads, each task within a time limit counted from its start. A task past
 * its limit is given up on: its result is {@code overrun}'s at once, its thread is interrupted and left to end when it
 * can (a read from a hung network mount may not return, interrupted or not), and a new thread takes its place, so the
 * batch goes on and ends. The threads are daemons: one still stuck when the batch is over does not keep the JVM alive.
 * After a result {@code stopsTheBatch} holds for, no task is started, and the ones never started have no result.
 * A task that {@linkplain Attempt#finish finishes} in time is no longer given up on: what it then does (renaming its
 * files into place) is either done whole or, if the batch gave up on it first, not at all.
 */
final class BatchWorkers<T> {
    /** One task of the batch. */
    interface Task<T> {
        /** Its result; {@code attempt} says whether the batch still waits for it. */
        T run(Attempt attempt);
    }

    /** A task's run as the batch sees it: given up on when its time is up or the batch stops, unless it finished. */
    interface Attempt {
        /** Whether the batch gave up on the task, when nothing it does counts any more. */
        boolean givenUp();

        /**
         * Ends the task's time limit: true if the batch had not given up on it, which it then no longer does, so
         * what the task does next counts; false if it had, when the task is to leave no trace.
         */
        boolean finish();
    }

    private final List<? extends Task<T>> tasks;
    private final int threads;
    private final long limitNanos;
    private final IntFunction<T> overrun;
    private final Predicate<T> stopsTheBatch;
    private final LongSupplier ticker;
    private final String threadName;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private final List<T> results;
    private final Set<Worker> workers = new HashSet<>();
    private int next;
    private int started;
    private boolean stopped;
    private Throwable failure;

    /**
     * @param overrun        the result of the task of that index past its limit
     * @param stopsTheBatch  whether no task is to start after this result
     * @param ticker         the time in nanoseconds, as {@link System#nanoTime}
     */
    BatchWorkers(List<? extends Task<T>> tasks, int threads, Duration limit, IntFunction<T> overrun,
                 Predicate<T> stopsTheBatch, LongSupplier ticker, String threadName) {
        this.tasks = List.copyOf(tasks);
        this.threads = Math.max(1, Math.min(threads, tasks.size()));
        this.limitNanos = limit.toNanos();
        this.overrun = overrun;
        this.stopsTheBatch = stopsTheBatch;
        this.ticker = ticker;
        this.threadName = threadName;
        this.results = new ArrayList<>(Collections.nCopies(tasks.size(), null));
    }

    /**
     * Runs every task (up to one that stops the batch) and returns their results in the tasks' order, null for a task
     * never started. The threads still running a task when this ends, by an interrupt or a task's failure, are
     * interrupted.
     *
     * @throws IllegalStateException if a task threw, naming what it threw
     */
    List<T> run() throws InterruptedException {
        lock.lock();
        try {
            for (int i = 0; i < threads; i++) {
                startWorker();
            }
            while (!workers.isEmpty() && failure == null) {
                long wait = expireOverdue();
                if (workers.isEmpty()) {
                    break;
                }
                if (wait == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(wait);
                }
            }
            if (failure != null) {
                throw new IllegalStateException("a task of the batch failed unexpectedly", failure);
            }
            return new ArrayList<>(results);
        } finally {
            stopped = true;
            workers.forEach(worker -> worker.thread.interrupt());
            lock.unlock();
        }
    }

    /** The results so far, in the tasks' order: null for a task not ended, or given up on by {@link #stop}. */
    List<T> results() {
        lock.lock();
        try {
            return new ArrayList<>(results);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up on every task past its limit that has not finished (its result then {@code overrun}'s, its thread
     * interrupted and, while tasks are left, replaced), and returns the nanoseconds to the next task's limit,
     * {@code Long.MAX_VALUE} if none is running. {@link #run} calls it each time a task ends and at each limit.
     */
    long expireOverdue() {
        lock.lock();
        try {
            long now = ticker.getAsLong();
            long soonest = Long.MAX_VALUE;
            for (Worker worker : List.copyOf(workers)) {
                if (worker.task < 0 || worker.finishing) {
                    continue;
                }
                long left = worker.started + limitNanos - now;
                if (left > 0) {
                    soonest = Math.min(soonest, left);
                    continue;
                }
                results.set(worker.task, overrun.apply(worker.task));
                worker.givenUp = true;
                workers.remove(worker);
                worker.thread.interrupt();
                if (!stopped && next < tasks.size()) {
                    startWorker();
                }
            }
            changed.signalAll();
            return soonest;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the batch, as when the process is asked to end: no task starts any more, every task running that has not
     * finished is given up on (its result none, its thread interrupted), and this waits up to {@code wait} for those
     * that finished to end. Returns whether they all did.
     */
    boolean stop(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            stopped = true;
            for (Worker worker : List.copyOf(workers)) {
                if (worker.task >= 0 && !worker.finishing) {
                    worker.givenUp = true;
                    workers.remove(worker);
                    worker.thread.interrupt();
                }
            }
            changed.signalAll();
            long end = ticker.getAsLong() + wait.toNanos();
            while (workers.stream().anyMatch(worker -> worker.finishing)) {
                long left = end - ticker.getAsLong();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void startWorker() {
        Worker worker = new Worker(threadName + "-" + ++started);
        workers.add(worker);
        worker.thread.start();
    }

    /** The next task for {@code worker}, or -1 when it is to end: given up on, stopped, or no task left. */
    private int take(Worker worker) {
        lock.lock();
        try {
            if (worker.givenUp || stopped || next >= tasks.size()) {
                workers.remove(worker);
                changed.signalAll();
                return -1;
            }
            worker.task = next++;
            worker.finishing = false;
            worker.started = ticker.getAsLong();
            // A new limit to watch.
            changed.signalAll();
            return worker.task;
        } finally {
            lock.unlock();
        }
    }

    private void end(Worker worker, int task, T result, Throwable thrown) {
        lock.lock();
        try {
            // A task given up on already has its result, and its thread no longer counts.
            if (!worker.givenUp) {
                results.set(task, result);
                worker.task = -1;
                worker.finishing = false;
                if (thrown != null && failure == null) {
                    failure = thrown;
                }
                // Those running go on to their end or their limit.
                stopped |= result != null && stopsTheBatch.test(result);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Worker implements Runnable, Attempt {
        private final Thread thread;
        // Guarded by lock, but givenUp, which the task also reads.
        private int task = -1;
        private long started;
        private boolean finishing;
        private volatile boolean givenUp;

        private Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            for (int task = take(this); task >= 0; task = take(this)) {
                T result = null;
                Throwable thrown = null;
                try {
                    result = tasks.get(task).run(this);
                } catch (Throwable t) {
                    thrown = t;
                }
                end(this, task, result, thrown);
            }
        }

        @Override
        public boolean givenUp() {
            return givenUp;
        }

        @Override
        public boolean finish() {
            lock.lock();
            try {
                finishing = !givenUp;
                return finishing;
            } finally {
                lock.unlock();
            }
        }
    }
}
