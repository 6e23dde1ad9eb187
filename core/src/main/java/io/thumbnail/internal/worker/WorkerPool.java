package io.thumbnail.internal.worker;

import io.thumbnail.internal.health.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A fixed number of named threads, each claiming and running one job at a time. An idle worker sleeps until
 * {@link #wakeUp()} (called on submit) or {@code idleWait} passes; the bounded wait is what picks up retries whose
 * backoff has run out and jobs requeued by the reaper.
 *
 * <p>A worker whose job overran its time limit is {@link #abandon abandoned}: a new thread takes its place at once,
 * and the old one, should its decode ever return, stops without claiming again.
 *
 * <p>With a {@code nice} value above 0 each worker lowers its own priority to it after its first job (Linux, see
 * {@link ThreadNice}), so threads answering requests get a core before workers that keep every core busy. Not at
 * start: the {@code renice} process would compete with the rest of a server's startup, and an idle worker needs no
 * priority.
 */
public final class WorkerPool {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    static final long CLAIM_WAIT_SECONDS = 5;

    private final JobRunner runner;
    private final Duration idleWait;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Set<Thread> retired = ConcurrentHashMap.newKeySet();
    private final AtomicInteger named = new AtomicInteger();
    private volatile boolean started;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private long wakeUps;
    private volatile boolean claiming = true;
    /**
     * Held for reading by each claim under way, for writing by {@link #stopClaiming}: a claim that saw
     * {@code claiming} still set completes before stopClaiming returns, never after.
     */
    private final ReentrantReadWriteLock claims = new ReentrantReadWriteLock();
    private final ClaimGate gate = new ClaimGate() {
        @Override
        public boolean enter() {
            claims.readLock().lock();
            if (claiming) {
                return true;
            }
            claims.readLock().unlock();
            return false;
        }

        @Override
        public void leave() {
            claims.readLock().unlock();
        }
    };
    private final int nice;

    public WorkerPool(JobRunner runner, int size, Duration idleWait, int nice) {
        this.runner = runner;
        this.idleWait = idleWait;
        this.nice = nice;
        runner.suspects().onAloneEnded(this::wakeUp);
        for (int i = 1; i <= size; i++) {
            threads.add(newWorker());
        }
    }

    private Thread newWorker() {
        Thread t = new Thread(this::loop, "thumbnail-worker-" + named.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    public void start() {
        started = true;
        threads.forEach(Thread::start);
    }

    /**
     * Replaces {@code worker}, taken off its job (which overran its time limit, or was deleted), with a new thread; the
     * old one claims no further job. Threads that are not this pool's (a test driving jobs by hand) are ignored.
     */
    public void abandon(Thread worker) {
        if (!threads.remove(worker)) {
            return;
        }
        retired.add(worker);
        Thread replacement = newWorker();
        threads.add(replacement);
        if (started && claiming) {
            replacement.start();
        }
        // Whoever took the job away says why, at the level it deserves.
        log.debug("worker {} left behind in its job; {} takes its place", worker.getName(), replacement.getName());
    }

    /** Tells idle workers there may be work. */
    public void wakeUp() {
        lock.lock();
        try {
            wakeUps++;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        return threads.size();
    }

    public int busy() {
        return runner.running();
    }

    /**
     * Threads taken off a job (it overran its time limit, or was deleted) that have not returned from it yet: a decode
     * that ignores interrupts holds its thread, and its memory, until it ends, if ever.
     */
    public int abandoned() {
        return (int) retired.stream().filter(Thread::isAlive).count();
    }

    /**
     * No worker claims another job after this returns; jobs already running go on. A claim already under way (one
     * query) is waited for, up to {@value #CLAIM_WAIT_SECONDS} s: a database that stopped answering must not hold up
     * a shutdown for its whole connection timeout.
     */
    public void stopClaiming() {
        stopClaiming(System.nanoTime() + TimeUnit.SECONDS.toNanos(CLAIM_WAIT_SECONDS));
    }

    private void stopClaiming(long deadline) {
        claiming = false;
        runner.suspects().stop();
        try {
            if (claims.writeLock().tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                claims.writeLock().unlock();
            } else {
                log.warn("a claim still waits on the job database; a job it takes runs or is taken up again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakeUp();
    }

    /**
     * Stops claiming and waits up to {@code timeout} for running jobs to finish. Workers still busy then are
     * interrupted and left behind (daemon threads); their jobs stay {@code processing} and are taken up again on the
     * next start. Returns whether every worker finished in time.
     */
    public boolean stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        stopClaiming(Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(CLAIM_WAIT_SECONDS)));
        // Threads abandoned in overrunning jobs are no longer listed, so not waited for: their jobs failed already.
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Thread> late = threads.stream().filter(Thread::isAlive).toList();
        if (!late.isEmpty()) {
            log.warn("{} workers still busy after {}; their jobs stay processing until the next start", late.size(),
                    timeout);
            late.forEach(Thread::interrupt);
        }
        return late.isEmpty();
    }

    private void loop() {
        boolean lowered = nice == 0;
        while (claiming && !retired.contains(Thread.currentThread())) {
            long seen = wakeUpsSeen();
            boolean ran = false;
            try {
                ran = runner.runNext(gate);
            } catch (StoreException e) {
                // A store failing (a full disk): its health logs that once, and the runner waits until it works.
                log.debug("worker could not claim a job: {}", e.getMessage());
            } catch (RuntimeException | Error e) {
                // One bad job (or a database hiccup) must not kill the worker.
                log.error("worker failed outside a job; continuing", e);
            }
            if (ran && !lowered) {
                lowered = true;
                ThreadNice.lowerCurrentThread(nice);
            }
            if (!ran) {
                idle(seen);
            }
        }
        retired.remove(Thread.currentThread());
    }

    private long wakeUpsSeen() {
        lock.lock();
        try {
            return wakeUps;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a wake-up newer than {@code seen}, or {@code idleWait}. An interrupt only cuts the wait short: this
     * pool stops its workers through flags the loop reads ({@link #stopClaiming}, {@link #abandon}), and an interrupt
     * of one idle worker has no job to cancel, so it must not take that worker, let alone the pool, off the queue.
     */
    private void idle(long seen) {
        lock.lock();
        try {
            long nanos = idleWait.toNanos();
            while (claiming && wakeUps == seen && nanos > 0) {
                nanos = work.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            // Consumed: the loop looks at claiming and at this worker's retirement before it claims again.
        } finally {
            lock.unlock();
        }
    }
}
