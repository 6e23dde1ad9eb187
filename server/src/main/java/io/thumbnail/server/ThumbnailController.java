package io.thumbnail.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ImageSource;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.server.internal.AcceptHeader;
import io.thumbnail.server.internal.AccessGuard;
import io.thumbnail.server.internal.BatchView;
import io.thumbnail.server.internal.ContentDisposition;
import io.thumbnail.server.internal.JobFailedException;
import io.thumbnail.server.internal.JobView;
import io.thumbnail.server.internal.Paths;
import io.thumbnail.server.internal.RequestParams;
import io.thumbnail.server.internal.UploadReader;
import io.thumbnail.server.internal.UrlRequestReader;
import io.thumbnail.server.internal.WaitLimit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/thumbnails}: upload, look up, list, download and delete thumbnail jobs. */
final class ThumbnailController {
    private static final String CACHE_FOREVER = "public, max-age=31536000, immutable";

    private final ThumbnailService service;
    private final UploadReader uploads;
    private final UrlRequestReader urls;
    private final int maxOutputSide;
    private final ThumbnailSpec defaultBox;
    private final WaitLimit waits;

    ThumbnailController(ThumbnailService service, UploadReader uploads, UrlRequestReader urls, int maxOutputSide,
                        ThumbnailSpec defaultBox, WaitLimit waits) {
        this.service = service;
        this.uploads = uploads;
        this.urls = urls;
        this.maxOutputSide = maxOutputSide;
        this.defaultBox = defaultBox;
        this.waits = waits;
    }

    /**
     * One file or URL: 202 with the job (200 if {@code wait} saw it finish). Several: 202 with the batch. A JSON body
     * names URLs ({@code {"url": ...}} or {@code {"urls": [...]}}), which workers fetch later; any other body is an
     * upload.
     */
    void create(Context ctx) throws InterruptedException {
        uploads.checkDeclaredLength(ctx);
        ThumbnailSpec spec = RequestParams.spec(ctx, maxOutputSide, defaultBox);
        Duration wait = RequestParams.waitTime(ctx);
        // Taken before the body is read, so a refused wait leaves no job behind.
        try (WaitLimit.Slot slot = wait.isZero() ? null : waits.enter(AccessGuard.client(ctx))) {
            submit(ctx, spec, wait);
        }
    }

    private void submit(Context ctx, ThumbnailSpec spec, Duration wait) throws InterruptedException {
        List<ImageSource> sources;
        String publish;
        if (UrlRequestReader.isJson(ctx)) {
            UrlRequestReader.UrlRequest request = urls.read(ctx);
            sources = request.sources();
            publish = request.publish();
        } else {
            publish = RequestParams.publish(ctx);
            sources = uploads.read(ctx);
        }
        if (sources.size() == 1) {
            Job job = service.submit(sources.get(0), spec, AccessGuard.owner(ctx), publish);
            if (!wait.isZero()) {
                job = awaitAccepted(job, wait);
            }
            ctx.status(!wait.isZero() && job.status().isFinished() ? 200 : 202)
                    .header("Location", Paths.thumbnail(job.id()))
                    .json(JobView.of(job));
        } else {
            Batch batch = service.submitAll(sources, spec, AccessGuard.owner(ctx), publish);
            if (!wait.isZero()) {
                batch = awaitBatch(batch, wait);
            }
            ctx.status(!wait.isZero() && batch.isFinished() ? 200 : 202)
                    .header("Location", Paths.batch(batch.id()))
                    .json(BatchView.of(batch));
        }
    }

    /** The job; {@code wait=N} long-polls until it is finished, {@code embed=base64} inlines the thumbnail. */
    void get(Context ctx) throws InterruptedException {
        UUID id = RequestParams.id(ctx, "thumbnail job");
        Duration wait = RequestParams.waitTime(ctx);
        boolean embed = RequestParams.embedBase64(ctx);
        Job job = find(ctx, id);
        if (!wait.isZero() && !job.status().isFinished()) {
            try (WaitLimit.Slot slot = waits.enter(AccessGuard.client(ctx))) {
                job = service.await(id, wait);
            }
        }
        byte[] image = embed && job.status() == JobStatus.DONE ? service.thumbnailBytes(id) : null;
        ctx.json(JobView.of(job, image));
    }

    /**
     * The image, cacheable forever: its bytes never change for a given job. HEAD: the same answer without a body. A
     * job made for a client that accepts WebP ({@code auto-webp}) answers WebP to clients whose {@code Accept} names
     * it and its JPEG or PNG fallback to the others, with {@code Vary: Accept} and each its own ETag, so one URL
     * serves every client and every cache keeps the two apart.
     */
    void file(Context ctx) throws IOException {
        Job job = find(ctx, RequestParams.id(ctx, "thumbnail job"));
        if (job.status() == JobStatus.FAILED) {
            throw new JobFailedException(job.error());
        }
        if (job.status() != JobStatus.DONE) {
            throw new ThumbnailException(ErrorCode.NOT_READY,
                    "the thumbnail is not ready yet (the job is " + job.status().id() + "); try again shortly");
        }
        JobResult result = job.result();
        JobResult.Fallback fallback = result.fallback();
        boolean fallBack = fallback != null && !AcceptHeader.namesWebp(ctx.header("Accept"));
        ImageFormat format = fallBack ? fallback.format() : result.format();
        String etag = "\"" + (fallBack ? fallback.sha256() : result.sha256()) + "\"";
        ctx.header("ETag", etag).header("Cache-Control", CACHE_FOREVER);
        if (fallback != null) {
            ctx.header("Vary", "Accept");
        }
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
            ctx.status(304).removeHeader("Content-Type");
            return;
        }
        Path file = service.thumbnailFile(job.id(), format);
        ctx.contentType(format.mimeType()).header("Content-Disposition", ContentDisposition.inline(job, format));
        ctx.res().setContentLengthLong(Files.size(file));
        if (ctx.method() != HandlerType.HEAD) {
            ctx.result(Files.newInputStream(file));
        }
    }

    /** Newest first: {@code {items, next}}. */
    void list(Context ctx) {
        JobQuery query = RequestParams.jobQuery(ctx);
        String owner = AccessGuard.owner(ctx);
        Page<Job> page = service.list(owner == null ? query : query.withOwner(owner));
        ctx.json(new JobPage(page.items().stream().map(JobView::of).toList(), page.next()));
    }

    /** 200 with the job as it was; 404 from then on. */
    void delete(Context ctx) {
        UUID id = RequestParams.id(ctx, "thumbnail job");
        find(ctx, id);
        Job deleted = service.delete(id).orElseThrow(() -> notFound(id));
        ctx.json(JobView.of(deleted));
    }

    /** Another key's job answers exactly as a job that does not exist. */
    private Job find(Context ctx, UUID id) {
        return service.get(id).filter(job -> AccessGuard.canSee(ctx, job.owner())).orElseThrow(() -> notFound(id));
    }

    /** The job once finished, or as it is when the wait ends; as accepted if the service closes meanwhile. */
    private Job awaitAccepted(Job job, Duration wait) throws InterruptedException {
        try {
            return service.await(job.id(), wait);
        } catch (ThumbnailException e) {
            throwUnlessClosing(e);
            return job;
        }
    }

    private Batch awaitBatch(Batch batch, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            for (Job item : batch.items()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                awaitItem(item, Duration.ofNanos(left));
            }
            return service.batch(batch.id()).orElse(batch);
        } catch (ThumbnailException e) {
            throwUnlessClosing(e);
            return batch;
        }
    }

    /** Waits for one item of a batch; an item deleted meanwhile has nothing left to wait for. */
    private void awaitItem(Job item, Duration wait) throws InterruptedException {
        try {
            service.await(item.id(), wait);
        } catch (ThumbnailException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }

    /**
     * A wait for an upload just accepted that the closing service ended: the jobs are stored and run after the
     * restart, so the answer is 202 with them, not an error that would have the client upload them again.
     */
    private static void throwUnlessClosing(ThumbnailException e) {
        if (e.code() != ErrorCode.UNAVAILABLE) {
            throw e;
        }
    }

    private static ThumbnailException notFound(UUID id) {
        return new ThumbnailException(ErrorCode.NOT_FOUND, "no thumbnail job with id " + id);
    }

    /** A listing page; {@code next} is null on the last page. */
    record JobPage(List<JobView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String next) {
    }
}
