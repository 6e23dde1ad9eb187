package io.thumbnail.internal.source;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a byte limit and cancels the download the moment the limit is passed, so an endless
 * or oversized body costs at most {@code limit} bytes of memory and a few socket buffers of traffic.
 */
final class LimitedBody implements BodySubscriber<byte[]> {
    private final long limit;
    private final String url;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    LimitedBody(long limit, String url) {
        this.limit = limit;
        this.url = url;
    }

    /** A body that is not wanted (a redirect or an error status): the connection is dropped without reading it. */
    static BodySubscriber<byte[]> skipped() {
        LimitedBody body = new LimitedBody(0, "");
        body.cancelled = true;
        body.result.complete(new byte[0]);
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (cancelled) {
            return;
        }
        for (ByteBuffer item : items) {
            if (buffer.size() + (long) item.remaining() > limit) {
                abort(new ThumbnailException(ErrorCode.TOO_LARGE,
                        "the image at " + url + " is larger than the limit of " + limit + " bytes"));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            buffer.write(chunk, 0, chunk.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Stops the download and completes the body with {@code error}; safe to call from any thread, more than once. */
    void abort(Throwable error) {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        result.completeExceptionally(error);
    }
}
