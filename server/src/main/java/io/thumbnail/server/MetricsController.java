package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.server.internal.ops.ServerMetrics;

/** {@code /metrics}: the Prometheus text format. */
final class MetricsController {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;

    MetricsController(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    void scrape(Context ctx) {
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }
}
