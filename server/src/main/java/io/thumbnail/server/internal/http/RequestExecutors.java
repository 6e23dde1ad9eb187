package io.thumbnail.server.internal.http;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads requests run on, each kind bounded apart from the others: Jetty's pool (handlers, and where waits
 * resume to answer), a small pool for submits (the bulkhead: however many uploads arrive, they take at most its
 * threads, never the ones reads and {@code /health} need) and one timer (body deadlines, event-stream keep-alives).
 * Nothing here waits on a client: bodies and waits are asynchronous, so these pools only ever run short work.
 */
public final class RequestExecutors implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestExecutors.class);
    private static final int HTTP_THREADS = 250;
    private static final int HTTP_MIN_THREADS = 8;
    private static final int HTTP_IDLE_MILLIS = 60_000;
    private static final long STOP_WAIT_SECONDS = 5;

    private final QueuedThreadPool http;
    private final ThreadPoolExecutor submits;
    private final ScheduledThreadPoolExecutor timer;

    /** @param submitThreads how many submits may run at once */
    public RequestExecutors(int submitThreads) {
        http = new QueuedThreadPool(HTTP_THREADS, HTTP_MIN_THREADS, HTTP_IDLE_MILLIS);
        http.setName("http");
        submits = new ThreadPoolExecutor(submitThreads, submitThreads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("upload-submit", false));
        submits.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, named("request-timer", true));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Jetty's request threads; Jetty starts and stops them with the server. */
    public QueuedThreadPool http() {
        return http;
    }

    /**
     * Where submits run. Its queue is bounded by the uploads in flight ({@code --max-uploads}), each of which is
     * waiting here for no more than the submits ahead of it.
     */
    public ExecutorService submits() {
        return submits;
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Lets submits under way finish (bounded), then stops the timer; Jetty's pool stops with Jetty. */
    @Override
    public void close() {
        submits.shutdown();
        try {
            if (!submits.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("submits still running after {} s; stopping without them", STOP_WAIT_SECONDS);
                submits.shutdownNow();
            }
        } catch (InterruptedException e) {
            submits.shutdownNow();
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }

    private static ThreadFactory named(String prefix, boolean daemon) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(daemon);
            return thread;
        };
    }
}
