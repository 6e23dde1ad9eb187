package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobListener;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.AccessGuard;
import io.thumbnail.server.internal.BatchView;
import io.thumbnail.server.internal.ErrorResponses;
import io.thumbnail.server.internal.EventStream;
import io.thumbnail.server.internal.JobView;
import io.thumbnail.server.internal.RequestParams;
import io.thumbnail.server.internal.WaitLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@code /api/v1/batches}: a batch's totals and items, and a live stream of its items' state changes. */
final class BatchController {
    private static final Logger log = LoggerFactory.getLogger(BatchController.class);
    /** A comment this often lets a dead client be noticed (and proxies keep the stream open). */
    private static final long KEEP_ALIVE_SECONDS = 15;
    private static final String SHUTTING_DOWN = "the server is shutting down; reconnect in a few seconds to follow"
            + " the batch again";

    private final ThumbnailService service;
    private final WaitLimit waits;
    private final ScheduledExecutorService timer;

    /** @param timer sends the streams' keep-alive comments */
    BatchController(ThumbnailService service, WaitLimit waits, ScheduledExecutorService timer) {
        this.service = service;
        this.waits = waits;
        this.timer = timer;
    }

    void get(Context ctx) {
        ctx.json(BatchView.of(find(ctx, RequestParams.id(ctx, "batch"))));
    }

    /**
     * Server-Sent Events: a {@code job} event with each item's current state, then one per state change, then a
     * {@code batch} event with the totals once every item is finished (items deleted meanwhile no longer count), and
     * the stream closes. If the service closes first, the stream ends with an {@code error} event ({@code unavailable})
     * instead. A batch that does not exist is a plain 404, answered before the stream starts. No thread waits while
     * the stream is open: changes are written as they come, without blocking.
     */
    void events(Context ctx) {
        UUID id = RequestParams.id(ctx, "batch");
        find(ctx, id);
        WaitLimit.Slot slot = waits.enter(AccessGuard.client(ctx));
        ctx.future(() -> {
            try {
                Feed feed = new Feed(new EventStream(ctx), id, ctx);
                return feed.client.closed().whenComplete((done, failure) -> {
                    feed.close();
                    slot.close();
                });
            } catch (IOException | RuntimeException e) {
                slot.close();
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** One open stream: what its client has been told, kept up to date from the service's job events. */
    private final class Feed implements JobListener, AutoCloseable {
        final EventStream client;
        private final UUID id;
        private final Context ctx;
        private final Map<UUID, Job> items = new HashMap<>();
        private final AutoCloseable subscription;
        private final ScheduledFuture<?> keepAlive;

        Feed(EventStream client, UUID id, Context ctx) {
            this.client = client;
            this.id = id;
            this.ctx = ctx;
            // Listen before reading the batch, so no change falls between the snapshot and the stream: a change
            // waits on this object's lock until the snapshot is out.
            synchronized (this) {
                subscription = service.addListener(this);
                try {
                    if (!client.isClosed()) {
                        for (Job item : find(ctx, id).items()) {
                            items.put(item.id(), item);
                            send(item);
                        }
                        endIfFinished();
                    }
                } catch (RuntimeException e) {
                    end(e);
                }
            }
            keepAlive = timer.scheduleAtFixedRate(() -> client.comment("keep-alive"), KEEP_ALIVE_SECONDS,
                    KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        }

        /**
         * A change is sent when it moves the item on: events are delivered after their commit, so one committed
         * before the snapshot may arrive after it, and is then stale.
         */
        @Override
        public synchronized void onChange(Job job) {
            if (!id.equals(job.batchId()) || client.isClosed()) {
                return;
            }
            Job known = items.get(job.id());
            if (known == null || progress(job) > progress(known)) {
                items.put(job.id(), job);
                send(job);
                endIfFinished();
            }
        }

        /** A deleted item no longer counts: the stream need not wait for it. */
        @Override
        public synchronized void onDelete(Job deleted) {
            if (!id.equals(deleted.batchId()) || client.isClosed()) {
                return;
            }
            if (items.remove(deleted.id()) != null) {
                endIfFinished();
            }
        }

        /** The service closed: no change will come, so the stream ends with {@code unavailable}. */
        @Override
        public synchronized void onClose() {
            if (!client.isClosed()) {
                sendError(ErrorCode.UNAVAILABLE, SHUTTING_DOWN);
                client.end();
            }
        }

        /**
         * How far along its life a job is, growing with every change: queued (0), processing attempt k (2k - 1),
         * queued again after attempt k (2k), finished after attempt k (2k + 1).
         */
        private static long progress(Job job) {
            long attempts = job.attempts();
            return switch (job.status()) {
                case QUEUED -> 2 * attempts;
                case PROCESSING -> 2 * attempts - 1;
                case DONE, FAILED -> 2 * attempts + 1;
            };
        }

        private void endIfFinished() {
            if (items.values().stream().allMatch(job -> job.status().isFinished())) {
                try {
                    client.send("batch", json(BatchView.of(find(ctx, id))));
                    client.end();
                } catch (RuntimeException e) {
                    end(e);
                }
            }
        }

        /**
         * The stream has started (200): an error can only be its last event. The service closing and the batch
         * deleted are expected; a failing store is logged by the store; anything else is logged here.
         */
        private void end(RuntimeException e) {
            ErrorCode code = e instanceof ThumbnailException te ? te.code() : ErrorCode.INTERNAL;
            switch (code) {
                case UNAVAILABLE -> sendError(code, SHUTTING_DOWN);
                case NOT_FOUND -> sendError(code, e.getMessage());
                case IO_ERROR -> sendError(code, "the server could not read its storage; reconnect later");
                default -> {
                    log.error("the event stream of batch {} failed", id, e);
                    sendError(ErrorCode.INTERNAL, "an unexpected error occurred; it has been logged");
                }
            }
            client.end();
        }

        private void send(Job job) {
            client.send("job", json(JobView.of(job)));
        }

        private void sendError(ErrorCode code, String message) {
            client.send("error", json(new ErrorResponses.Body(new ErrorResponses.Detail(code.id(), message))));
        }

        private String json(Object view) {
            return ctx.jsonMapper().toJsonString(view, view.getClass());
        }

        @Override
        public void close() {
            keepAlive.cancel(false);
            unsubscribe();
        }

        private void unsubscribe() {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("could not remove a batch event listener: {}", e.toString());
            }
        }
    }

    /** Another key's batch answers exactly as a batch that does not exist. */
    private Batch find(Context ctx, UUID id) {
        return service.batch(id).filter(batch -> AccessGuard.canSee(ctx, batch.owner()))
                .orElseThrow(() -> new ThumbnailException(ErrorCode.NOT_FOUND, "no batch with id " + id));
    }
}
