package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.internal.store.JobStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * Crash suspects' turns on this node. A suspect is a job that was running when the process running it died (this
 * node's earlier life, found at its start, or another node, whose leases ran out): the store marks its row as it
 * takes the job back, so whichever node claims it next learns it from the claim ({@link JobStore.Claim#suspect}) and
 * runs it alone there. Nothing else starts on that node while the suspect waits for the jobs already running to end,
 * and nothing starts while it runs. A start counts as an attempt even when the process dies under it, so that an
 * image which kills its process (one that exhausts its memory, say) ends failed instead of taking nodes down for ever;
 * run alone, a suspect that kills its process again spends only its own attempts, never those of the jobs that
 * happened to run beside it.
 *
 * <p>The mark is on the row and its take-back is one statement, so no claim on any node sees the job queued and
 * unmarked; this class keeps only this node's turns: the suspects claimed and waiting, the one running alone, and
 * the claims under way (a claim may be taking an ordinary job, which a waiting suspect lets start and end first).
 */
public final class CrashSuspects {
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
    /** The node stops: a suspect waiting its turn does not start. */
    private boolean stopping;
    private volatile Runnable onAloneEnded = () -> { };

    /** Told each time a suspect's run alone ends, so that workers which claimed nothing meanwhile claim again. */
    public void onAloneEnded(Runnable listener) {
        this.onAloneEnded = listener;
    }

    /**
     * Starts a claim, unless claims must wait (a suspect waits to run alone or runs alone): true if the caller may
     * claim, and then {@link #claimEnded()} follows once a job it took, if any, counts as running.
     */
    boolean claimStarted() {
        lock.lock();
        try {
            if (alone != null || !waiting.isEmpty()) {
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
     * Runs {@code run} once no other job runs on this node and no claim is under way: {@code running} counts the jobs
     * claimed and not yet ended on this node, this one and other waiting suspects included. Returns false, without
     * running it, if the node {@linkplain #stop stops} or every one of {@code jobs} was {@linkplain #deleted deleted}
     * while it waited (a suspect someone deleted may be what kills the process); throws
     * {@link InterruptedException}, without running it, when the thread is interrupted while it waits.
     */
    boolean runAlone(List<Job> jobs, IntSupplier running, Runnable run) throws InterruptedException {
        lock.lock();
        try {
            waiting.add(jobs);
            try {
                while (!stopping && !allDeleted(jobs)
                        && (alone != null || claiming > 0 || running.getAsInt() > waiting.size())) {
                    changed.await();
                }
                if (stopping || allDeleted(jobs)) {
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

    /**
     * The node stops claiming: a suspect waiting its turn does not start now, to be cut short by the stop's time
     * limit; it stays processing, and is taken up again as the node's other unfinished jobs are.
     */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Job {@code id} was deleted: if it waits its turn to run alone, it does not run. */
    void deleted(UUID id) {
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
