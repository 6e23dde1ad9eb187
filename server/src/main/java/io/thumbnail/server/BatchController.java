package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobListener;
import io.thumbnail.JobStatus;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code /api/v1/batches}: a batch's totals and items, and a live stream of its items' state changes. */
final class BatchController {
    private static final Logger log = LoggerFactory.getLogger(BatchController.class);
    /** A comment this often lets a dead client be noticed (and proxies keep the stream open). */
    private static final long KEEP_ALIVE_SECONDS = 15;

    private final ThumbnailService service;
    private final WaitLimit waits;

    BatchController(ThumbnailService service, WaitLimit waits) {
        this.service = service;
        this.waits = waits;
    }

    void get(Context ctx) {
        ctx.json(BatchView.of(find(ctx, RequestParams.id(ctx, "batch"))));
    }

    /**
     * Server-Sent Events: a {@code job} event with each item's current state, then one per state change, then a
     * {@code batch} event with the totals once every item is finished (items deleted meanwhile no longer count), and
     * the stream closes. If the service closes first, the stream ends with an {@code error} event ({@code unavailable})
     * instead. A batch that does not exist is a plain 404, answered before the stream starts.
     */
    void events(Context ctx) throws IOException {
        UUID id = RequestParams.id(ctx, "batch");
        find(ctx, id);
        try (WaitLimit.Slot slot = waits.enter(AccessGuard.client(ctx))) {
            stream(new EventStream(ctx), id, ctx);
        }
    }

    /** What the stream's listener saw: a change or a deletion of one of the batch's items, or the service closing. */
    private record Signal(Job job, boolean deleted) {
        static final Signal CLOSED = new Signal(null, false);
    }

    private void stream(EventStream client, UUID id, Context ctx) {
        BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        // Listen before reading the batch, so no change falls between the snapshot and the stream.
        AutoCloseable subscription = service.addListener(new JobListener() {
            @Override
            public void onChange(Job job) {
                if (id.equals(job.batchId())) {
                    signals.add(new Signal(job, false));
                }
            }

            @Override
            public void onDelete(Job job) {
                if (id.equals(job.batchId())) {
                    signals.add(new Signal(job, true));
                }
            }

            @Override
            public void onClose() {
                signals.add(Signal.CLOSED);
            }
        });
        try {
            Map<UUID, JobStatus> states = new HashMap<>();
            for (Job item : find(ctx, id).items()) {
                states.put(item.id(), item.status());
                send(client, ctx, item);
            }
            while (!allFinished(states) && !client.isClosed()) {
                Signal signal = signals.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (signal == null) {
                    client.comment("keep-alive");
                } else if (signal == Signal.CLOSED) {
                    sendError(client, ctx, ErrorCode.UNAVAILABLE, "the server is shutting down; reconnect in a few"
                            + " seconds to follow the batch again");
                    return;
                } else if (signal.deleted()) {
                    states.remove(signal.job().id());
                } else if (states.put(signal.job().id(), signal.job().status()) != signal.job().status()) {
                    send(client, ctx, signal.job());
                }
            }
            if (!client.isClosed()) {
                client.send("batch", json(ctx, BatchView.of(find(ctx, id))));
            }
        } catch (ThumbnailException e) {
            // The stream has started (200): an error can only be its last event. These two are expected (the
            // service closing, the batch deleted); anything else is the exception mapper's to log.
            if (e.code() != ErrorCode.UNAVAILABLE && e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            sendError(client, ctx, e.code(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe(subscription);
        }
    }

    private static void unsubscribe(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("could not remove a batch event listener: {}", e.toString());
        }
    }

    private static void sendError(EventStream client, Context ctx, ErrorCode code, String message) {
        client.send("error", json(ctx, new ErrorResponses.Body(new ErrorResponses.Detail(code.id(), message))));
    }

    private static void send(EventStream client, Context ctx, Job job) {
        client.send("job", json(ctx, JobView.of(job)));
    }

    private static String json(Context ctx, Object view) {
        return ctx.jsonMapper().toJsonString(view, view.getClass());
    }

    private static boolean allFinished(Map<UUID, JobStatus> states) {
        return states.values().stream().allMatch(JobStatus::isFinished);
    }

    /** Another key's batch answers exactly as a batch that does not exist. */
    private Batch find(Context ctx, UUID id) {
        return service.batch(id).filter(batch -> AccessGuard.canSee(ctx, batch.owner()))
                .orElseThrow(() -> new ThumbnailException(ErrorCode.NOT_FOUND, "no batch with id " + id));
    }
}
