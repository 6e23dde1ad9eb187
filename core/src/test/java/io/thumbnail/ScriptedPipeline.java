package io.thumbnail;

import io.thumbnail.internal.image.Pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real pipeline, with a script in front: counts decodes, throws queued failures first, and can hold the first
 * call until released (a slow or hung worker).
 */
final class ScriptedPipeline implements Pipeline {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
    private final AtomicInteger calls = new AtomicInteger();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    final CountDownLatch firstCallStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstCall = new CountDownLatch(1);
    private volatile boolean holdFirstCall;

    /** The next calls throw these, in order. */
    synchronized ScriptedPipeline failWith(RuntimeException... errors) {
        failures.addAll(java.util.List.of(errors));
        return this;
    }

    ScriptedPipeline holdFirstCall() {
        holdFirstCall = true;
        return this;
    }

    void releaseFirstCall() {
        releaseFirstCall.countDown();
    }

    int calls() {
        return calls.get();
    }

    @Override
    public Thumbnail thumbnail(byte[] source, ThumbnailSpec spec) {
        int call = calls.incrementAndGet();
        if (call == 1) {
            firstCallStarted.countDown();
            if (holdFirstCall) {
                await(releaseFirstCall);
            }
        }
        RuntimeException failure;
        synchronized (this) {
            failure = failures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        return thumbnailer.thumbnail(source, spec);
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released within 60s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
