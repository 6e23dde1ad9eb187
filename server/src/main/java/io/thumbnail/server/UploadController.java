package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageSource;
import io.thumbnail.Job;
import io.thumbnail.Priority;
import io.thumbnail.SubmitOptions;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.server.internal.http.BatchView;
import io.thumbnail.server.internal.http.JobView;
import io.thumbnail.server.internal.http.ParameterChecks;
import io.thumbnail.server.internal.http.Presets;
import io.thumbnail.server.internal.api.Paths;
import io.thumbnail.server.internal.http.RequestParams;
import io.thumbnail.server.internal.http.UploadReader;
import io.thumbnail.server.internal.http.UrlRequestReader;
import io.thumbnail.server.internal.security.AccessGuard;
import io.thumbnail.server.internal.security.ClientAddress;
import io.thumbnail.server.internal.security.RequestRefused;
import io.thumbnail.server.internal.security.UploadAdmission;
import io.thumbnail.server.internal.security.WaitLimit;
import io.thumbnail.server.internal.http.ThumbnailLinks;
import io.thumbnail.server.internal.security.UrlSigner;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/thumbnails}: one file or URL answers 202 with the job (200 if {@code wait} saw it finish);
 * several, or {@code sizes} (one job per size of each image), answer 202 with the batch. A JSON body names URLs ({@code {"url": ...}} or {@code {"urls": [...]}}), which
 * workers fetch later; any other body is an upload.
 *
 * <p>No thread waits on a client: the body is received as it arrives ({@link UploadReader}), and {@code wait=N}
 * waits on the service's job events. The submit itself (a header check, a rename, an fsync, a database insert) runs
 * on a small pool of its own, so uploads can never take the threads that reads and {@code /health} need.
 */
final class UploadController {
    private final ThumbnailService service;
    private final UploadReader uploads;
    private final UrlRequestReader urls;
    private final UploadAdmission admission;
    private final WaitLimit waits;
    private final int maxOutputSide;
    private final ThumbnailSpec defaultBox;
    private final Presets presets;
    private final Executor submits;
    private final Executor responses;
    private final Supplier<UrlSigner> signer;

    /**
     * @param defaultBox the size of a request that names none
     * @param presets    the named options requests may ask for ({@code preset=NAME})
     * @param submits    runs the submits (bounded: the bulkhead between uploads and everything else)
     * @param responses  where waits resume to answer
     * @param signer     signs the thumbnail URLs of a request asking {@code signed=true}
     */
    UploadController(ThumbnailService service, UploadReader uploads, UrlRequestReader urls, UploadAdmission admission,
                     WaitLimit waits, int maxOutputSide, ThumbnailSpec defaultBox, Presets presets,
                     Executor submits, Executor responses, Supplier<UrlSigner> signer) {
        this.service = service;
        this.uploads = uploads;
        this.urls = urls;
        this.admission = admission;
        this.waits = waits;
        this.maxOutputSide = maxOutputSide;
        this.defaultBox = defaultBox;
        this.presets = presets;
        this.submits = submits;
        this.responses = responses;
        this.signer = signer;
    }

    /** What a request made: one job or a batch. */
    /** What a submit made, and how long the request asked to wait for it (its query's or its form's {@code wait}). */
    private record Submitted(Job job, Batch batch, Duration waitFor) {
        boolean isFinished() {
            return job != null ? job.status().isFinished() : batch.isFinished();
        }
    }

    void create(Context ctx) {
        WaitLimit.Slot slot = null;
        UploadAdmission.Ticket ticket;
        try {
            // Everything that can be refused is refused before the body is read, and takes nothing with it.
            uploads.checkBeforeReading(ctx);
            ParameterChecks.checkUploadQuery(ctx);
            if (!ctx.isMultipartFormData()) {
                // A multipart upload's options come with its body: they are read once it has arrived.
                RequestParams.specs(ctx, maxOutputSide, defaultBox, presets);
                RequestParams.signedLinks(ctx);
                RequestParams.callbackUrl(ctx);
            }
            // A wait in the query takes its place now; one in a multipart form, once the form has arrived.
            slot = RequestParams.waitTime(ctx).isZero() ? null : waits.enter(AccessGuard.client(ctx));
            ticket = admission.admit(ClientAddress.of(ctx.req().getRemoteAddr()), AccessGuard.owner(ctx),
                    ctx.req().getContentLengthLong());
        } catch (RuntimeException refusal) {
            if (slot != null) {
                slot.close();
            }
            uploads.refuse(ctx, refusal);
            return;
        }
        WaitLimit.Slot[] waiting = {slot};
        ctx.future(() -> receive(ctx, ticket)
                .thenApplyAsync(body -> {
                    try (body; ticket) {
                        return submit(ctx, body);
                    }
                }, submits)
                .thenCompose(submitted -> {
                    if (submitted.waitFor().isZero()) {
                        return CompletableFuture.completedFuture(submitted);
                    }
                    if (waiting[0] == null) {
                        // A wait asked in the form: its place is taken now, the job being made already. None left,
                        // the answer is what a wait that ran out gives (202), never a refusal of an accepted upload.
                        try {
                            waiting[0] = waits.enter(AccessGuard.client(ctx));
                        } catch (RequestRefused full) {
                            return CompletableFuture.completedFuture(submitted);
                        }
                    }
                    return awaitFinished(submitted, AccessGuard.owner(ctx), submitted.waitFor());
                })
                .thenAccept(submitted -> render(ctx, submitted, ThumbnailLinks.of(ctx, signer)))
                .whenComplete((done, failure) -> {
                    ticket.close();
                    if (waiting[0] != null) {
                        waiting[0].close();
                    }
                }));
    }

    /** The body as it arrives; a refusal before any of it is read (a multipart type without a boundary) fails it. */
    private CompletableFuture<UploadReader.Received> receive(Context ctx, UploadAdmission.Ticket ticket) {
        try {
            return uploads.read(ctx, ticket);
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    private Submitted submit(Context ctx, UploadReader.Received body) {
        List<ImageSource> sources;
        String publish;
        Priority priority;
        URI callbackUrl;
        if (body.json() != null) {
            UrlRequestReader.UrlRequest request = urls.read(body.json(), ctx);
            sources = request.sources();
            publish = request.publish();
            priority = request.priority();
            // Its sizes and preset, like a multipart upload's fields, are read before the query string.
            RequestParams.useForm(ctx, request.options(), "the JSON body");
            callbackUrl = request.callbackUrl();
        } else {
            // A multipart upload's options came with its body, read before the query string.
            RequestParams.useUploadForm(ctx, body.fields());
            publish = RequestParams.publish(ctx);
            priority = RequestParams.priority(ctx);
            callbackUrl = RequestParams.callbackUrl(ctx);
            sources = body.sources();
        }
        List<ThumbnailSpec> specs = RequestParams.specs(ctx, maxOutputSide, defaultBox, presets);
        RequestParams.signedLinks(ctx);
        Duration wait = RequestParams.waitTime(ctx);
        SubmitOptions options = SubmitOptions.builder().owner(AccessGuard.owner(ctx)).publishTo(publish)
                .priority(priority).callbackUrl(callbackUrl).build();
        if (RequestParams.hasSizes(ctx)) {
            // Several sizes make a batch, even of one image: one job per size, in order, per image.
            return new Submitted(null, service.submitAll(sources, null, options.toBuilder().renditions(specs).build()),
                    wait);
        }
        ThumbnailSpec spec = specs.get(0);
        if (sources.size() == 1) {
            return new Submitted(service.submit(sources.get(0), spec, options), null, wait);
        }
        return new Submitted(null, service.submitAll(sources, spec, options), wait);
    }

    /**
     * What was submitted once finished, or as it is when the wait ends. The jobs are accepted whatever happens now: if
     * the service closes meanwhile they are stored and run after the restart, so the answer is 202 with them as they
     * were accepted, not an error that would have the client upload them again. A job another client deletes
     * meanwhile is gone: 404, saying it was accepted first.
     */
    private CompletableFuture<Submitted> awaitFinished(Submitted submitted, String owner, Duration wait) {
        CompletableFuture<Submitted> finished;
        try {
            finished = awaitEach(submitted, owner, wait);
        } catch (RuntimeException e) {
            finished = CompletableFuture.failedFuture(e);
        }
        return finished.exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (cause instanceof ThumbnailException e && e.code() == ErrorCode.UNAVAILABLE) {
                return submitted;
            }
            if (cause instanceof ThumbnailException e && e.code() == ErrorCode.NOT_FOUND && submitted.job() != null) {
                throw new ThumbnailException(ErrorCode.NOT_FOUND, "the job " + submitted.job().id()
                        + " was accepted, then deleted while this upload waited for it");
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    private CompletableFuture<Submitted> awaitEach(Submitted submitted, String owner, Duration wait) {
        if (submitted.job() != null) {
            return service.awaitAsync(submitted.job().id(), owner, wait, responses)
                    .thenApply(job -> new Submitted(job, null, wait));
        }
        return service.awaitBatch(submitted.batch().id(), owner, wait, responses)
                .thenApply(batch -> new Submitted(null, batch, wait));
    }

    private static void render(Context ctx, Submitted submitted, ThumbnailLinks links) {
        ctx.status(!submitted.waitFor().isZero() && submitted.isFinished() ? 200 : 202);
        if (submitted.job() != null) {
            ctx.header("Location", Paths.thumbnail(submitted.job().id())).json(links.view(submitted.job()));
        } else {
            ctx.header("Location", Paths.batch(submitted.batch().id())).json(links.view(submitted.batch()));
        }
    }
}
