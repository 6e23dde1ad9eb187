package io.thumbnail.server.internal.http;

import io.thumbnail.server.internal.api.Paths;
import io.thumbnail.Callback;
import io.thumbnail.Fit;
import io.thumbnail.FocalPoint;
import io.thumbnail.ImageFormat;
import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.Priority;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailSpec;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A job as the REST API shows it. Absent parts are null and left out of the JSON; so is {@code priority} when it is
 * the default, normal.
 *
 * @param node while the job is processing, the id of the node running it
 */
public record JobView(String id, String status, Source source, Spec spec, Thumbnail thumbnail, ErrorResponses.Detail error,
                      int attempts, String node, String createdAt, String startedAt, String finishedAt, String batchId,
                      Map<String, Published> published, String priority, CallbackView callback) {

    /**
     * How the job's webhook went: {@code pending} until delivered or given up ({@code failed}), with the tries made and
     * why the last one failed. The URL is not shown: it may carry the receiver's own token.
     */
    public record CallbackView(String status, int attempts, String lastError) {
        static CallbackView of(Callback c) {
            return c == null ? null : new CallbackView(c.status().id(), c.attempts(), c.lastError());
        }
    }

    /**
     * @param bytes the image's size; null for a URL source until it has been fetched (and stored)
     * @param url   the URL the image was fetched from, for URL sources
     */
    public record Source(String filename, Long bytes, Integer width, Integer height, String format, String sha256,
                         String url) {
    }

    /**
     * Where the thumbnail was published: {@code link} and {@code deletehash} once done, {@code error} if it failed,
     * neither while pending.
     */
    public record Published(String link, String deletehash, ErrorResponses.Detail error) {
        static Map<String, Published> of(Publication p) {
            return p == null ? null
                    : Map.of(p.target(), new Published(p.link(), p.deletehash(), ClientErrors.detail(p.error())));
        }
    }

    /**
     * @param gravity where a cover crop is kept ({@code center} unless asked otherwise); absent for other fits, and
     *                when a focus places the crop
     * @param focus   the point a cover crop is centred on, when one was given
     * @param quality the quality the thumbnail is (or will be) written at: the one asked for, or its format's default
     *                (85 for JPEG, 82 for WebP)
     */
    public record Spec(Integer width, Integer height, String fit, String gravity, Focus focus, String format,
                       int quality, boolean upscale, String background) {
        static Spec of(ThumbnailSpec s, JobResult result) {
            ImageFormat written = result != null ? result.format()
                    : s.format().mayBeWebp() ? ImageFormat.WEBP : ImageFormat.JPEG;
            boolean cover = s.fit() == Fit.COVER;
            return new Spec(s.width(), s.height(), s.fit().id(),
                    cover && s.focus() == null ? s.gravity().id() : null, Focus.of(s.focus()), s.format().id(),
                    s.qualityFor(written), s.upscale(), s.backgroundHex());
        }
    }

    /** A focal point: fractions of the upright image's width and height. */
    public record Focus(double x, double y) {
        static Focus of(FocalPoint p) {
            return p == null ? null : new Focus(p.x(), p.y());
        }
    }

    /**
     * @param fallback for an {@code auto-webp} job, the JPEG or PNG served to clients that do not accept WebP
     * @param base64   the image itself, only when asked for with {@code embed=base64}
     */
    public record Thumbnail(int width, int height, long bytes, String format, String url, Fallback fallback,
                            String base64) {
    }

    /**
     * The same thumbnail in a second format; the same URL serves it, by the request's {@code Accept}.
     *
     * @param base64 the image itself, when {@code embed=base64} was asked by a client whose {@code Accept} does not
     *               name WebP
     */
    public record Fallback(String format, long bytes, String base64) {
        static Fallback of(JobResult.Fallback f, byte[] embedded) {
            return f == null ? null : new Fallback(f.format().id(), f.bytes(), JobView.base64(embedded));
        }
    }

    public static JobView of(Job job) {
        return of(job, null, null);
    }

    /**
     * @param embedded         the thumbnail bytes to inline as base64, or null
     * @param embeddedFallback its fallback's bytes to inline instead (for a client that does not take WebP), or null
     */
    public static JobView of(Job job, byte[] embedded, byte[] embeddedFallback) {
        JobSource s = job.source();
        Source source = s == null ? null : new Source(s.url() != null ? null : s.name(),
                s.url() != null && s.sha256() == null ? null : Long.valueOf(s.bytes()), s.width(),
                s.height(), s.format() == null ? null : s.format().id(), s.sha256(),
                s.url() == null ? null : s.url().toString());
        JobResult r = job.result();
        Thumbnail thumbnail = r == null ? null : new Thumbnail(r.width(), r.height(), r.bytes(), r.format().id(),
                Paths.thumbnailFile(job.id()), Fallback.of(r.fallback(), embeddedFallback), base64(embedded));
        return new JobView(job.id().toString(), job.status().id(), source,
                job.spec() == null ? null : Spec.of(job.spec(), r),
                thumbnail, ClientErrors.detail(job.error()), job.attempts(), job.node(), iso(job.createdAt()),
                iso(job.startedAt()),
                iso(job.finishedAt()), job.batchId() == null ? null : job.batchId().toString(),
                Published.of(job.publication()), job.priority() == Priority.NORMAL ? null : job.priority().id(),
                CallbackView.of(job.callback()));
    }

    /** This view with its thumbnail's URL replaced (by a signed one); a view without a thumbnail as it is. */
    public JobView withThumbnailUrl(String url) {
        if (thumbnail == null) {
            return this;
        }
        Thumbnail t = thumbnail;
        return new JobView(id, status, source, spec, new Thumbnail(t.width(), t.height(), t.bytes(), t.format(), url,
                t.fallback(), t.base64()), error, attempts, node, createdAt, startedAt, finishedAt, batchId,
                published, priority, callback);
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
