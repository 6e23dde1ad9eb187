package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.Batch;
import io.thumbnail.BatchListener;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.http.BatchView;
import io.thumbnail.server.internal.http.ErrorResponses;
import io.thumbnail.server.internal.http.EventStream;
import io.thumbnail.server.internal.http.JobView;
import io.thumbnail.server.internal.http.ParameterChecks;
import io.thumbnail.server.internal.http.RequestParams;
import io.thumbnail.server.internal.security.AccessGuard;
import io.thumbnail.server.internal.security.WaitLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
    private final Executor responses;

    /** @param timer sends the streams' keep-alive comments */
    BatchController(ThumbnailService service, WaitLimit waits, ScheduledExecutorService timer, Executor responses) {
        this.service = service;
        this.waits = waits;
        this.timer = timer;
        this.responses = responses;
    }

    /**
     * The batch; {@code wait=N} long-polls until every item is finished (on the service's events, with no thread
     * waiting), as a job's GET does. A service that closes meanwhile ends the wait with {@code unavailable} (503).
     */
    void get(Context ctx) {
        ParameterChecks.checkQuery(ctx, List.of("wait"));
        UUID id = RequestParams.id(ctx, "batch");
        Duration wait = RequestParams.waitTime(ctx);
        String owner = AccessGuard.owner(ctx);
        Batch batch = find(ctx, id);
        if (wait.isZero() || batch.isFinished()) {
            ctx.json(BatchView.of(batch));
            return;
        }
        LongPolls.answerWhenDone(ctx, waits, wait, time -> service.awaitBatch(id, owner, time, responses),
                done -> ctx.json(BatchView.of(done)));
    }

    /** The id of a stream's last event, the finished batch's: a reconnection that saw it is told there is no more. */
    static final String FINISHED = "finished";

    /**
     * Server-Sent Events: a {@code job} event with each item's current state, then one per state change, then a
     * {@code batch} event with the totals once every item is finished (items deleted meanwhile no longer count), with
     * the id {@value #FINISHED}, and the stream closes; a request sending that id back ({@code Last-Event-ID}, as an
     * EventSource reconnecting does) is answered 204 No Content. If the service closes first, the stream ends with an {@code error} event ({@code unavailable})
     * instead. A batch that does not exist is a plain 404, answered before the stream starts. No thread waits while
     * the stream is open: the service's batch subscription tells each change, written as it comes without blocking.
     */
    void events(Context ctx) {
        ParameterChecks.checkQuery(ctx, List.of());
        UUID id = RequestParams.id(ctx, "batch");
        String owner = AccessGuard.owner(ctx);
        find(ctx, id);
        if (FINISHED.equals(ctx.header("Last-Event-ID"))) {
            // A browser's EventSource opens the stream again whenever it ends; told 204, it stops. A 204 has no body,
            // so no type of one either (rather than the text/plain every answer starts with).
            ctx.status(204);
            ctx.res().setContentType(null);
            return;
        }
        WaitLimit.Slot slot = waits.enter(AccessGuard.client(ctx));
        ctx.future(() -> {
            try {
                Feed feed = new Feed(new EventStream(ctx), ctx);
                feed.follow(id, owner);
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

    /** One open stream: renders what the service's subscription to the batch tells. */
    private final class Feed implements BatchListener, AutoCloseable {
        final EventStream client;
        private final Context ctx;
        private final ScheduledFuture<?> keepAlive;
        private AutoCloseable subscription;

        Feed(EventStream client, Context ctx) {
            this.client = client;
            this.ctx = ctx;
            keepAlive = timer.scheduleAtFixedRate(() -> client.comment("keep-alive"), KEEP_ALIVE_SECONDS,
                    KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        }

        /** The stream has started (200): a batch gone meanwhile, or a store failing, can only be its last event. */
        void follow(UUID id, String owner) {
            try {
                subscription = service.subscribeBatch(id, owner, this);
            } catch (ThumbnailException e) {
                onEnded(e);
            }
        }

        @Override
        public void onItem(Job item) {
            client.send("job", json(JobView.of(item)));
        }

        @Override
        public void onFinished(Batch batch) {
            client.send("batch", json(BatchView.of(batch)), FINISHED);
            client.end();
        }

        /**
         * The service closing and the batch deleted are expected; a failing store is logged by the store; anything
         * else by the service.
         */
        @Override
        public void onEnded(ThumbnailException reason) {
            switch (reason.code()) {
                case UNAVAILABLE -> sendError(ErrorCode.UNAVAILABLE, SHUTTING_DOWN);
                case NOT_FOUND -> sendError(ErrorCode.NOT_FOUND, reason.getMessage());
                case IO_ERROR -> sendError(ErrorCode.IO_ERROR, "the server could not read its storage; reconnect later");
                default -> sendError(ErrorCode.INTERNAL, "an unexpected error occurred; it has been logged");
            }
            client.end();
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
            if (subscription != null) {
                try {
                    subscription.close();
                } catch (Exception e) {
                    log.warn("could not end a batch subscription: {}", e.toString());
                }
            }
        }
    }

    /** Another key's batch answers exactly as a batch that does not exist. */
    private Batch find(Context ctx, UUID id) {
        return service.batch(id, AccessGuard.owner(ctx))
                .orElseThrow(() -> new ThumbnailException(ErrorCode.NOT_FOUND, "no batch with id " + id));
    }
}
