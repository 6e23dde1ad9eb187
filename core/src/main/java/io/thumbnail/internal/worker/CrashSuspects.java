package io.thumbnail.internal.worker;

import io.thumbnail.Job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Jobs that were running when the process that ran them died, each run again alone on this node: nothing else starts
 * while one waits for the jobs already running to end, and nothing starts while it runs. A start counts as an attempt
 * even when the process dies under it, so that an image which kills the process (one that exhausts its memory, say)
 * ends failed instead of taking the service down for ever; run alone, a suspect that kills the process again spends
 * only its own attempts, never those of the jobs that happened to run beside it the first time.
 *
 * <p>Only this node knows its suspects: on a shared queue, another node may take one up among its other jobs.
 */
public final class CrashSuspects {
    private final Set<UUID> ids = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Groups of suspects claimed and waiting for the jobs running beside them to end. */
    private final List<List<Job>> waiting = new ArrayList<>();
    /** Jobs of waiting groups deleted meanwhile: a group whose jobs were all deleted does not run. */
    private final Set<UUID> deleted = new HashSet<>();
    /** The group of the suspect running alone now, or null. */
    private List<Job> alone;
    /** Claims under way: a job one takes is not yet counted as running. */
    private int claiming;
    /** Callers taking jobs back into the queue and marking them, during which no claim starts. */
    private int paused;
    private volatile Runnable onAloneEnded = () -> { };

    /** Marks these jobs as suspects: each runs alone the next time this node claims it. */
    public void add(Collection<UUID> jobs) {
        ids.addAll(jobs);
    }

    /** Told each time a suspect's run alone ends, so that workers which claimed nothing meanwhile claim again. */
    public void onAloneEnded(Runnable listener) {
        this.onAloneEnded = listener;
    }

    /** How many jobs are suspects now. */
    public int size() {
        return ids.size();
    }

    /** Whether any of {@code jobs} (one claimed group) is a suspect. */
    boolean includes(List<Job> jobs) {
        return !ids.isEmpty() && jobs.stream().anyMatch(job -> ids.contains(job.id()));
    }

    /**
     * Starts a claim, unless claims must wait (a suspect waits to run alone or runs alone, or jobs are being taken
     * back): true if the caller may claim, and then {@link #claimEnded()} follows once a job it took, if any, counts
     * as running.
     */
    boolean claimStarted() {
        lock.lock();
        try {
            if (alone != null || !waiting.isEmpty() || paused > 0) {
                return false;
            }
            claiming++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void claimEnded() {
        lock.lock();
        try {
            claiming--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code takeBack}, which queues jobs again and marks those to run alone, with no claim under way: a claim
     * between the two would take a suspect as an ordinary job.
     */
    <T> T withClaimsPaused(Supplier<T> takeBack) {
        lock.lock();
        try {
            paused++;
            while (claiming > 0) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        try {
            return takeBack.get();
        } finally {
            lock.lock();
            try {
                paused--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Runs {@code run} once no other job runs on this node and no claim is under way: {@code running} counts the jobs
     * claimed and not yet ended on this node, this one and other waiting suspects included. Returns false, without
     * running it, if every one of {@code jobs} was {@linkplain #deleted deleted} while it waited (a suspect someone
     * deleted may be what kills the process); throws {@link InterruptedException}, without running it, when the
     * thread is interrupted while it waits.
     */
    boolean runAlone(List<Job> jobs, IntSupplier running, Runnable run) throws InterruptedException {
        lock.lock();
        try {
            waiting.add(jobs);
            try {
                while (!allDeleted(jobs) && (alone != null || claiming > 0 || running.getAsInt() > waiting.size())) {
                    changed.await();
                }
                if (allDeleted(jobs)) {
                    return false;
                }
            } finally {
                waiting.removeIf(group -> group == jobs);
                jobs.forEach(job -> deleted.remove(job.id()));
            }
            alone = jobs;
        } finally {
            lock.unlock();
        }
        try {
            run.run();
        } finally {
            ended(jobs);
        }
        return true;
    }

    /** Job {@code id} was deleted: no suspect any more, and if it waits its turn to run alone it does not run. */
    void deleted(UUID id) {
        ids.remove(id);
        lock.lock();
        try {
            if (waiting.stream().anyMatch(group -> group.stream().anyMatch(job -> job.id().equals(id)))) {
                deleted.add(id);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean allDeleted(List<Job> jobs) {
        return !deleted.isEmpty() && jobs.stream().allMatch(job -> deleted.contains(job.id()));
    }

    /**
     * Ends the run alone of {@code jobs} if it is the one under way: when it returns, or when its thread is let go
     * (its job overran its time limit, or was deleted) and may never return. Later calls for the same run do nothing.
     */
    void ended(List<Job> jobs) {
        jobs.forEach(job -> ids.remove(job.id()));
        lock.lock();
        try {
            changed.signalAll();
            if (alone == null || !overlap(alone, jobs)) {
                return;
            }
            alone = null;
        } finally {
            lock.unlock();
        }
        onAloneEnded.run();
    }

    private static boolean overlap(List<Job> a, List<Job> b) {
        return a.stream().anyMatch(x -> b.stream().anyMatch(y -> x.id().equals(y.id())));
    }

    /** Tells a waiting suspect that a job on this node ended (or was let go). */
    void jobEnded() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
