package io.thumbnail.internal.worker;

import io.thumbnail.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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

    /**
     * A thread's jobs, their deadline, those of them deleted while it runs them, and since when it waits for decode
     * memory (null: it does not).
     */
    private record Running(List<Job> jobs, Instant deadline, Set<UUID> deleted, Instant waitingSince) {
        Running(List<Job> jobs, Instant deadline) {
            this(jobs, deadline, new HashSet<>(), null);
        }
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
        running.computeIfPresent(Thread.currentThread(), (thread, work) -> new Running(work.jobs(), Instant.MAX,
                work.deleted(), null));
    }

    /**
     * The calling thread waits, from {@code now}, for memory other images' decodes hold: time that is not its jobs'
     * own, so its deadline stands still until {@link #resumed}. The wait has a bound of its own (see
     * {@link io.thumbnail.internal.image.MemoryWaits}).
     */
    public synchronized void waiting(Instant now) {
        running.computeIfPresent(Thread.currentThread(), (thread, work) -> new Running(work.jobs(), work.deadline(),
                work.deleted(), now));
    }

    /** The calling thread's wait for memory ended at {@code now}: its deadline moves on by the time it waited. */
    public synchronized void resumed(Instant now) {
        running.computeIfPresent(Thread.currentThread(), (thread, work) -> work.waitingSince() == null ? work
                : new Running(work.jobs(), work.deadline().equals(Instant.MAX) ? Instant.MAX
                        : work.deadline().plus(Duration.between(work.waitingSince(), now)), work.deleted(), null));
    }

    /** The calling thread is done with its jobs; false if the job had been expired meanwhile. */
    public synchronized boolean finished() {
        return running.remove(Thread.currentThread()) != null;
    }

    /**
     * Job {@code id} was deleted: once every job its thread runs has been (the renditions of one image are made
     * together), that thread is taken off them as an overrun one is, so its worker is free for the next job at once
     * instead of making thumbnails no one can fetch. A thread whose thumbnails are {@linkplain #made() made} is left to
     * finish, as it is by {@link #expire}. Returns what was taken, if anything.
     */
    public synchronized Optional<Overrun> deleted(UUID id, Consumer<Thread> abandon) {
        for (Iterator<Map.Entry<Thread, Running>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Thread, Running> e = it.next();
            Running work = e.getValue();
            if (work.jobs().stream().noneMatch(job -> job.id().equals(id))) {
                continue;
            }
            work.deleted().add(id);
            if (work.deadline().equals(Instant.MAX) || work.deleted().size() < work.jobs().size()) {
                return Optional.empty();
            }
            it.remove();
            abandon.accept(e.getKey());
            e.getKey().interrupt();
            return Optional.of(new Overrun(work.jobs(), e.getKey()));
        }
        return Optional.empty();
    }

    /**
     * Takes every job whose deadline is not after {@code now} away from its thread: the thread is interrupted and
     * handed to {@code abandon} (while no thread can start or finish a job), and the overruns are returned. A thread
     * waiting for decode memory is left to its wait.
     */
    public synchronized List<Overrun> expire(Instant now, Consumer<Thread> abandon) {
        List<Overrun> overruns = new ArrayList<>();
        for (Iterator<Map.Entry<Thread, Running>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Thread, Running> e = it.next();
            if (e.getValue().waitingSince() == null && !e.getValue().deadline().isAfter(now)) {
                it.remove();
                abandon.accept(e.getKey());
                e.getKey().interrupt();
                overruns.add(new Overrun(e.getValue().jobs(), e.getKey()));
            }
        }
        return overruns;
    }
}
