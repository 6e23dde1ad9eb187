package io.thumbnail.server.internal.http;

import io.thumbnail.server.internal.security.UrlSigner;
import io.javalin.http.Context;
import io.thumbnail.Batch;
import io.thumbnail.Job;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The thumbnail URLs an answer shows: the plain file URL, which needs an API key when keys are configured, or, when
 * the request asks {@code signed=true}, a signed one that works without a key for {@code signed_ttl} seconds.
 */
public final class ThumbnailLinks {
    private final Supplier<UrlSigner> signer;
    private final Duration ttl;

    private ThumbnailLinks(Supplier<UrlSigner> signer, Duration ttl) {
        this.signer = signer;
        this.ttl = ttl;
    }

    /** What the request asks for; a bad {@code signed} or {@code signed_ttl} is 400 {@code invalid_request}. */
    public static ThumbnailLinks of(Context ctx, Supplier<UrlSigner> signer) {
        return new ThumbnailLinks(signer, RequestParams.signedLinks(ctx));
    }

    public JobView view(Job job) {
        return view(job, null, null);
    }

    /** As {@link JobView#of(Job, byte[], byte[])}, its URL signed when asked. */
    public JobView view(Job job, byte[] embedded, byte[] embeddedFallback) {
        JobView view = JobView.of(job, embedded, embeddedFallback);
        if (ttl == null || view.thumbnail() == null) {
            return view;
        }
        return view.withThumbnailUrl(signer.get().sign(job.id(), ttl).url());
    }

    public BatchView view(Batch batch) {
        return BatchView.of(batch, this::view);
    }
}
