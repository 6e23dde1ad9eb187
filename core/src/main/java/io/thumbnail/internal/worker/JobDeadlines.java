package io.thumbnail.internal.worker;

import io.thumbnail.Job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The deadline of every job running now, by the thread running it. A thread whose job overran is abandoned: it is
 * interrupted (a decode that notices stops), its job is no longer its own, and it takes no further job once it
 * returns, if ever; whoever expired it starts a replacement, so the pool keeps its size even when a decode hangs.
 *
 * <p>Starting, finishing and expiring are serialised, so a thread is never interrupted or abandoned after it has
 * moved on to another job.
 */
public final class JobDeadlines {
    /** A thread's work overrun: its jobs as claimed (one, or the renditions of one image), and the thread. */
    public record Overrun(List<Job> jobs, Thread thread) {
    }

    private record Running(List<Job> jobs, Instant deadline) {
    }

    private final Map<Thread, Running> running = new HashMap<>();

    /** The calling thread starts {@code jobs}, made together, which must be finished by {@code deadline}. */
    public synchronized void started(List<Job> jobs, Instant deadline) {
        running.put(Thread.currentThread(), new Running(List.copyOf(jobs), deadline));
    }

    /**
     * The calling thread has made its jobs' thumbnails: what is left, handing them to be stored (and, while the
     * finisher's queue is full, storing another job's on this thread), is not held to the time limit, as a finisher
     * thread's storing is not. Interrupted there, the thread would fail jobs whose thumbnails were made.
     */
    public synchronized void made() {
        running.computeIfPresent(Thread.currentThread(), (thread, work) -> new Running(work.jobs(), Instant.MAX));
    }

    /** The calling thread is done with its jobs; false if the job had been expired meanwhile. */
    public synchronized boolean finished() {
        return running.remove(Thread.currentThread()) != null;
    }

    /**
     * Takes every job whose deadline is not after {@code now} away from its thread: the thread is interrupted and
     * handed to {@code abandon} (while no thread can start or finish a job), and the overruns are returned.
     */
    public synchronized List<Overrun> expire(Instant now, Consumer<Thread> abandon) {
        List<Overrun> overruns = new ArrayList<>();
        for (Iterator<Map.Entry<Thread, Running>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Thread, Running> e = it.next();
            if (!e.getValue().deadline().isAfter(now)) {
                it.remove();
                abandon.accept(e.getKey());
                e.getKey().interrupt();
                overruns.add(new Overrun(e.getValue().jobs(), e.getKey()));
            }
        }
        return overruns;
    }
}
