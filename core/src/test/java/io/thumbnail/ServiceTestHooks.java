package io.thumbnail;

/**
 * Reaches the job system's package-private test hooks from the server's tests, so a job can be held in the queue
 * (to see 409 not_ready or 429 queue_full) and then run on the test's own thread, deterministically.
 */
public final class ServiceTestHooks {
    private ServiceTestHooks() {
    }

    /** No worker threads: jobs stay queued until {@link #processNext} runs one. */
    public static ThumbnailServiceBuilder withoutWorkers(ThumbnailServiceBuilder builder) {
        return builder.hooks(h -> h.withStartWorkers(false));
    }

    /** Runs the oldest queued job on the calling thread; false if none was ready. */
    public static boolean processNext(ThumbnailService service) {
        return service.assembly().byHand().processNext();
    }

    /**
     * Workers that hold every job at its start, after counting down {@code started}, until {@code release} opens: a
     * job then stays processing as long as the test wants.
     */
    public static ThumbnailServiceBuilder holdingJobs(ThumbnailServiceBuilder builder,
                                                       java.util.concurrent.CountDownLatch started,
                                                       java.util.concurrent.CountDownLatch release) {
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        return builder.hooks(h -> h.withPipeline((source, spec) -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
            return thumbnailer.thumbnail(source, spec);
        }));
    }

    /** Tries the webhook deliveries that are due, on the calling thread (without workers); returns how many. */
    public static int deliverDueWebhooks(ThumbnailService service) {
        return service.assembly().byHand().deliverDueWebhooks();
    }

    /** How many waits ({@link ThumbnailService#await}, {@link ThumbnailService#awaitAsync}) are in progress now. */
    public static int waiting(ThumbnailService service) {
        return service.assembly().waiting();
    }

    /**
     * Runs the housekeeping's every-second checks on the calling thread (a service without workers has no housekeeping
     * to run them): probes a failing store if a probe is due, asks a silent bucket, and reads the status
     * {@link ThumbnailService#stats()} answers from.
     */
    public static void checkStatus(ThumbnailService service) {
        service.assembly().byHand().checkStatus();
    }

    /** Waits (10 s at most) until every job change and deletion so far has reached the listeners; whether it did. */
    public static boolean awaitEvents(ThumbnailService service) {
        return service.assembly().events().awaitDelivered(java.time.Duration.ofSeconds(10));
    }
}
