package io.thumbnail.server.internal.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.time.Duration;

/**
 * The JVM's meters (memory, threads, classes, CPU, uptime, GC pauses). Binding them starts the JMX machinery, a
 * tenth of the server's startup work, so it happens on a named daemon thread a little after startup, or at the first
 * scrape if that comes sooner; GC pauses before then are not counted.
 */
final class JvmMeters implements AutoCloseable {
    private static final Duration DELAY = Duration.ofSeconds(2);

    private final MeterRegistry registry;
    private final Thread binder;
    private JvmGcMetrics gc;
    private boolean bound;
    private boolean closed;

    JvmMeters(MeterRegistry registry) {
        this.registry = registry;
        this.binder = new Thread(this::bindLater, "metrics-jvm-binder");
        binder.setDaemon(true);
        binder.start();
    }

    private void bindLater() {
        try {
            Thread.sleep(DELAY.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        bind();
    }

    /** Binds them now, unless that is done or this is closed. */
    synchronized void bind() {
        if (bound || closed) {
            return;
        }
        bound = true;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    @Override
    public synchronized void close() {
        closed = true;
        binder.interrupt();
        if (gc != null) {
            gc.close();
        }
    }
}
