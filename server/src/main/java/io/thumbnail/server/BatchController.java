package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.AccessGuard;
import io.thumbnail.server.internal.BatchView;
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
     * {@code batch} event with the totals once every item is finished, and the stream closes. A batch that does not
     * exist is a plain 404, answered before the stream starts.
     */
    void events(Context ctx) throws IOException {
        UUID id = RequestParams.id(ctx, "batch");
        find(ctx, id);
        try (WaitLimit.Slot slot = waits.enter(AccessGuard.client(ctx))) {
            stream(new EventStream(ctx), id, ctx, slot);
        }
    }

    private void stream(EventStream client, UUID id, Context ctx, WaitLimit.Slot slot) {
        BlockingQueue<Job> changes = new LinkedBlockingQueue<>();
        // Listen before reading the batch, so no change falls between the snapshot and the stream.
        AutoCloseable subscription = service.addListener(job -> {
            if (id.equals(job.batchId())) {
                changes.add(job);
            }
        });
        try {
            Map<UUID, JobStatus> states = new HashMap<>();
            for (Job item : find(ctx, id).items()) {
                states.put(item.id(), item.status());
                send(client, ctx, item);
            }
            while (!allFinished(states) && !client.isClosed()) {
                Job change = slot.await(() -> changes.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS));
                if (change == null) {
                    client.comment("keep-alive");
                } else if (states.put(change.id(), change.status()) != change.status()) {
                    send(client, ctx, change);
                }
            }
            if (!client.isClosed()) {
                client.send("batch", json(ctx, BatchView.of(find(ctx, id))));
            }
        } catch (InterruptedException e) {
            // The server is stopping (WaitLimit woke this stream): it ends here, and the client reconnects elsewhere.
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
