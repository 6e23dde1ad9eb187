package io.thumbnail.internal.jobs;

import io.thumbnail.Job;
import io.thumbnail.JobListener;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Job state changes, fanned out. The store hands each committed change to {@link #accept} in commit order; the
 * {@link JobWaits} waiting for the job are woken at once, and one named thread logs the change and tells the listeners
 * in that same order, so a slow listener never holds up a worker or the database. Jobs finished by other nodes sharing
 * the database arrive through {@link #remote}: they wake waiters and reach listeners the same way, and are logged by
 * their node.
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
    private final JobWaits waits;
    private final Thread dispatcher;
    /** Guarded by {@code this}: once true, every listener has been (or is being) told {@code onClose}. */
    private boolean listenersClosed;

    /** Starts the dispatcher thread; {@code waits} is woken by every finished or deleted job. */
    public JobEvents(JobWaits waits) {
        this.waits = waits;
        dispatcher = new Thread(this::dispatch, "thumbnail-events");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public void accept(Job job) {
        waits.changed(job);
        queue.add(new Delivery(job, false));
    }

    /** A job another node finished, read after its commit: its waiters are woken, listeners told (not logged here). */
    public void remote(Job job) {
        waits.changed(job);
        queue.add(new Delivery(job, false, true, null));
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
                return waits.awaited();
            }
        };
    }

    /** A job was deleted (after the commit): its waiters look again (and find it gone), listeners are told. */
    public void deleted(Job job) {
        waits.deleted(job.id());
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
        if (log.isInfoEnabled()) {
            log.info(logLine(job));
        }
    }

    /** The log's line for the job's new state: one per change, error codes as the API spells them. */
    static String logLine(Job job) {
        return switch (job.status()) {
            case DONE -> "job " + job.id() + " done: " + job.result().format().id() + " " + job.result().width() + "x"
                    + job.result().height() + " in attempt " + job.attempts();
            case FAILED -> "job " + job.id() + " failed: " + job.error().code().id() + " (" + job.error().message()
                    + ")";
            case QUEUED -> job.attempts() == 0 ? "job " + job.id() + " queued" : "job " + job.id()
                    + " queued for retry after " + (job.error() == null ? "a lost lease" : job.error().code().id());
            case PROCESSING -> "job " + job.id() + " processing on " + job.node() + ", attempt " + job.attempts();
        };
    }
}
