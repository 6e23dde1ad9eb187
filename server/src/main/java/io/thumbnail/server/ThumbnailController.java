package io.thumbnail.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ImageSource;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailContent;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.server.internal.http.AcceptHeader;
import io.thumbnail.server.internal.http.ContentDisposition;
import io.thumbnail.server.internal.http.JobFailedException;
import io.thumbnail.server.internal.http.JobView;
import io.thumbnail.server.internal.http.ParameterChecks;
import io.thumbnail.server.internal.http.RequestParams;
import io.thumbnail.server.internal.http.StreamedBody;
import io.thumbnail.server.internal.security.AccessGuard;
import io.thumbnail.server.internal.security.WaitLimit;
import io.thumbnail.server.internal.http.ThumbnailLinks;
import io.thumbnail.server.internal.security.UrlSigner;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** {@code /api/v1/thumbnails}: look up, list, download and delete thumbnail jobs (uploads: {@link UploadController}). */
final class ThumbnailController {
    private static final long CACHE_FOREVER_SECONDS = 31_536_000;
    private static final String CACHE_FOREVER = "public, max-age=" + CACHE_FOREVER_SECONDS + ", immutable";
    /** For the browser that asked with its key only: a shared cache would hand one key's image to anyone. */
    private static final String CACHE_PRIVATE = "private, max-age=" + CACHE_FOREVER_SECONDS + ", immutable";
    /** What a job's GET takes in its query string; anything else is refused, as a misspelt option would go unseen. */
    private static final List<String> JOB_PARAMETERS = List.of("wait", "embed", "signed", "signed_ttl");
    /** What the listing takes in its query string. */
    private static final List<String> LIST_PARAMETERS = List.of("status", "limit", "cursor", "published", "signed",
            "signed_ttl");

    private final ThumbnailService service;
    private final WaitLimit waits;
    private final Executor responses;
    private final Supplier<UrlSigner> signer;

    /**
     * @param responses where a long-poll resumes to answer once its job is finished or its time is up
     * @param signer    signs file URLs (asked for at the first one)
     */
    ThumbnailController(ThumbnailService service, WaitLimit waits, Executor responses, Supplier<UrlSigner> signer) {
        this.service = service;
        this.waits = waits;
        this.responses = responses;
        this.signer = signer;
    }

    /**
     * The job; {@code wait=N} long-polls until it is finished (on the service's job events, with no thread waiting),
     * {@code embed=base64} inlines the thumbnail, {@code signed=true} signs its URL. A service that closes meanwhile
     * ends the wait with {@code unavailable} (503), a deletion with {@code not_found}.
     */
    void get(Context ctx) {
        ParameterChecks.checkQuery(ctx, JOB_PARAMETERS);
        UUID id = RequestParams.id(ctx, "thumbnail job");
        Duration wait = RequestParams.waitTime(ctx);
        boolean embed = RequestParams.embedBase64(ctx);
        ThumbnailLinks links = ThumbnailLinks.of(ctx, signer);
        String owner = AccessGuard.owner(ctx);
        Job job = find(ctx, id);
        if (wait.isZero() || job.status().isFinished()) {
            answer(ctx, job, embed, links);
            return;
        }
        LongPolls.answerWhenDone(ctx, waits, wait, time -> service.awaitAsync(id, owner, time, responses),
                done -> answer(ctx, done, embed, links));
    }

    /**
     * The job; with {@code embed}, its image inlined: for an {@code auto-webp} job the one its file URL would serve
     * this request ({@code Accept}), the WebP in {@code thumbnail}, its fallback in {@code thumbnail.fallback}.
     */
    private void answer(Context ctx, Job job, boolean embed, ThumbnailLinks links) {
        if (!embed || job.status() != JobStatus.DONE) {
            ctx.json(links.view(job));
            return;
        }
        JobResult.Fallback fallback = job.result().fallback();
        if (fallback != null) {
            // What is inlined depends on Accept, as for the file: a cache must not give one client's to another.
            ctx.header("Vary", "Accept");
        }
        if (servesFallback(ctx, fallback)) {
            byte[] image;
            try (ThumbnailContent content = service.openThumbnail(job.id(), job.owner(), fallback.format())) {
                image = content.stream().readAllBytes();
            } catch (IOException e) {
                throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read the thumbnail: " + e.getMessage(), e);
            }
            ctx.json(links.view(job, null, image));
            return;
        }
        ctx.json(links.view(job, service.thumbnailBytes(job.id(), job.owner()), null));
    }

    /**
     * {@code {url, expires}}: the job's file URL signed for {@code ttl} seconds, which serves the thumbnail without an
     * API key until then. Asked for by the job's owner (another key's job is not found); the job need not be done
     * (the URL answers {@code not_ready} until it is), but a failed one is refused with its error, as its file is:
     * such a URL could never serve an image.
     */
    void signedUrl(Context ctx) {
        ParameterChecks.checkQuery(ctx, List.of("ttl"));
        UUID id = RequestParams.id(ctx, "thumbnail job");
        Duration ttl = RequestParams.signedUrlTtl(ctx);
        Job job = find(ctx, id);
        if (job.status() == JobStatus.FAILED) {
            throw new JobFailedException(job.error());
        }
        ctx.json(signer.get().sign(job.id(), ttl));
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
        boolean fallBack = servesFallback(ctx, fallback);
        ImageFormat format = fallBack ? fallback.format() : result.format();
        String etag = "\"" + (fallBack ? fallback.sha256() : result.sha256()) + "\"";
        // Thumbnails are small and made whole: a range is not served, and saying so keeps clients from asking.
        ctx.header("ETag", etag).header("Cache-Control", cacheControl(ctx)).header("Accept-Ranges", "none");
        if (fallback != null) {
            ctx.header("Vary", "Accept");
        }
        // Every line of it: a list may come as one header line or several (RFC 9110), as proxies split and join them.
        List<String> ifNoneMatchLines = Collections.list(ctx.req().getHeaders("If-None-Match"));
        String ifNoneMatch = ifNoneMatchLines.isEmpty() ? null : String.join(",", ifNoneMatchLines);
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
            // A 304's Content-Length must be the 200's (RFC 9110 8.6), or a cache may take it for the stored one's.
            ctx.status(304).removeHeader("Content-Type");
            ctx.res().setContentLengthLong(fallBack ? fallback.bytes() : result.bytes());
            return;
        }
        ThumbnailContent content = service.openThumbnail(job.id(), job.owner(), format);
        ctx.contentType(format.mimeType()).header("Content-Disposition", ContentDisposition.inline(job, format));
        ctx.res().setContentLengthLong(content.length());
        if (ctx.method() == HandlerType.HEAD) {
            content.close();
        } else {
            ctx.future(() -> StreamedBody.send(content.stream(), content.length(), ctx.req(), ctx.res()));
        }
    }

    /** Whether this request gets a job's JPEG or PNG fallback rather than its WebP: its Accept does not name WebP. */
    private static boolean servesFallback(Context ctx, JobResult.Fallback fallback) {
        return fallback != null && !AcceptHeader.namesWebp(ctx.header("Accept"));
    }

    /**
     * Forever, but for a signed URL only until it expires (a cache must not go on serving what the URL no longer
     * grants), and an image asked for with an API key in the asking client's cache only.
     */
    private String cacheControl(Context ctx) {
        Long signedUntil = AccessGuard.signedUntil(ctx);
        if (signedUntil == null) {
            return AccessGuard.owner(ctx) != null ? CACHE_PRIVATE : CACHE_FOREVER;
        }
        return "public, max-age=" + Math.min(signer.get().secondsUntil(signedUntil), CACHE_FOREVER_SECONDS)
                + ", immutable";
    }

    /** Newest first: {@code {items, next}}; {@code signed=true} signs the thumbnails' URLs. */
    void list(Context ctx) {
        ParameterChecks.checkQuery(ctx, LIST_PARAMETERS);
        JobQuery query = RequestParams.jobQuery(ctx);
        ThumbnailLinks links = ThumbnailLinks.of(ctx, signer);
        String owner = AccessGuard.owner(ctx);
        Page<Job> page = service.list(owner == null ? query : query.withOwner(owner));
        ctx.json(new JobPage(page.items().stream().map(links::view).toList(), page.next()));
    }

    /** 200 with the job as it was; 404 from then on. */
    void delete(Context ctx) {
        ParameterChecks.checkQuery(ctx, List.of());
        UUID id = RequestParams.id(ctx, "thumbnail job");
        Job deleted = service.delete(id, AccessGuard.owner(ctx)).orElseThrow(() -> notFound(id));
        ctx.json(JobView.of(deleted));
    }

    /** Another key's job answers exactly as a job that does not exist. */
    private Job find(Context ctx, UUID id) {
        return service.get(id, AccessGuard.owner(ctx)).orElseThrow(() -> notFound(id));
    }

    private static ThumbnailException notFound(UUID id) {
        return new ThumbnailException(ErrorCode.NOT_FOUND, "no thumbnail job with id " + id);
    }

    /** A listing page; {@code next} is null on the last page. */
    record JobPage(List<JobView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String next) {
    }
}
