package io.thumbnail;

import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.internal.image.Pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bench only: the production pipeline with its calls timed in thread CPU, so a job's CPU splits into the pipeline's
 * and everything else's (the bookkeeping) within one run. Lives in {@code io.thumbnail} to reach the builder's
 * package-private pipeline hook.
 */
public final class TimedPipeline {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final AtomicLong cpuNanos = new AtomicLong();

    /** {@code builder}, with workers running {@code thumbnailer} through this timer. */
    public ThumbnailServiceBuilder install(ThumbnailServiceBuilder builder, Thumbnailer thumbnailer) {
        Pipeline real = new ImagePipeline(thumbnailer.limits());
        return builder.hooks(h -> h.withPipeline(new Pipeline() {
            @Override
            public Thumbnail thumbnail(byte[] source, ThumbnailSpec spec) {
                long start = THREADS.getCurrentThreadCpuTime();
                try {
                    return real.thumbnail(source, spec);
                } finally {
                    cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
                }
            }

            @Override
            public Thumbnail thumbnail(byte[] source, SourceInfo known, ThumbnailSpec spec) {
                long start = THREADS.getCurrentThreadCpuTime();
                try {
                    return real.thumbnail(source, known, spec);
                } finally {
                    cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
                }
            }
        }));
    }

    /** Thread CPU spent inside pipeline calls so far. */
    public long cpuNanos() {
        return cpuNanos.get();
    }
}
