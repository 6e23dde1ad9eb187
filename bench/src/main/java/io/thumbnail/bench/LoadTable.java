package io.thumbnail.bench;

import java.util.Locale;
import java.util.Map;

/** {@link LoadBench}'s results as a Markdown table, with each target and whether this run met it. */
final class LoadTable {
    static final double CPU_RATIO_TARGET = 0.85;
    static final double STATUS_P99_TARGET_MILLIS = 10;
    static final long RSS_TARGET_BYTES = 400L << 20;
    static final double GC_SHARE_TARGET = 0.02;

    private LoadTable() {
    }

    static String markdown(LoadBench.Report r) {
        LoadOptions o = r.options();
        LoadRun.Outcome load = r.load();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%d clients, %d s (+%d s with the status probe), server -Xmx%s --workers %d, %d JPEGs (%.1f MB),"
                + " boxes from %d px%n%n", o.clients(), o.seconds(), o.statusSeconds(), o.xmx(), o.workers(), r.photoCount(), r.photoBytes() / 1e6,
                o.size()));
        out.append("| measure | value | target |\n|---|---|---|\n");
        row(out, "jobs done (failed) in the timed run", String.format(Locale.ROOT, "%d (%d) in %.1f s",
                load.done(), load.failed(), load.seconds()), "");
        row(out, "end-to-end throughput, submit to done", f("%.2f jobs/s", load.perSecond()), "");
        row(out, "server CPU per job (all threads, timed run)", f("%.0f ms", r.serverCpuMillisPerJob()), "");
        if (r.bare().isPresent()) {
            BareRun bare = r.bare().get();
            double ratio = load.perSecond() / bare.imagesPerSecond();
            row(out, "bare pipeline, child JVM, " + o.workers() + " threads, -Xmx" + o.xmx(),
                    f("%.2f images/s, %.0f CPU ms each", bare.imagesPerSecond(), bare.cpuMillisEach()), "");
            // No target: the server's request threads and the load generator share the cores the workers use.
            row(out, "end to end / bare, wall clock", f("%.1f %%", ratio * 100), "");
            double cpuRatio = bare.cpuMillisEach() / r.serverCpuMillisPerJob();
            row(out, "bare / end to end, CPU per image (steadier on a shared machine)",
                    f("%.1f %%", cpuRatio * 100), verdict(cpuRatio >= CPU_RATIO_TARGET, "≥ 85 %"));
        }
        Latencies jobs = load.latencies();
        row(out, "submit-to-done latency p50 / p95 / p99", f("%.0f / %.0f / %.0f ms", jobs.percentileMillis(50),
                jobs.percentileMillis(95), jobs.percentileMillis(99)), "");
        Latencies status = r.probe().latencies();
        double p99 = status.percentileMillis(99);
        row(out, "status GET while processing" + (o.statusIntervalMillis() > 0
                        ? " (every " + o.statusIntervalMillis() + " ms)" : " (back to back, 1 thread)"),
                f("%.0f requests/s over %.1f s, %d jobs done meanwhile", r.probe().requestsPerSecond(),
                        r.statusLoad().seconds(), r.statusLoad().done()), "");
        row(out, "status GET latency p50 / p95 / p99 (max)", f("%.2f / %.2f / %.2f (%.1f) ms",
                status.percentileMillis(50), status.percentileMillis(95), p99, status.maxMillis()),
                verdict(p99 < STATUS_P99_TARGET_MILLIS, "p99 < 10 ms"));
        LoadRun.Outcome more = r.statusLoad();
        Latencies server = r.statusServerSide();
        row(out, "same GETs timed by the server (access log, whole ms) p50 / p99 / max", f("%.0f / %.0f / %.0f ms",
                server.percentileMillis(50), server.percentileMillis(99), server.maxMillis()), "");
        row(out, "429 answers: uploads / job polls / status GETs", f("%d / %d / %d",
                load.uploads().tooMany() + more.uploads().tooMany(), load.polls().tooMany() + more.polls().tooMany(),
                r.probe().tally().tooMany()), "");
        row(out, "other non-2xx / I/O errors", f("%d / %d", load.uploads().other() + load.polls().other()
                + more.uploads().other() + more.polls().other() + r.probe().tally().other(),
                load.uploads().errors() + load.polls().errors() + more.uploads().errors() + more.polls().errors()
                + r.probe().tally().errors()), "");
        long peak = Math.max(r.hwmBytes(), r.peakRssBytes());
        row(out, "server peak RSS: VmHWM / highest 100 ms sample", f("%d / %d MB", r.hwmBytes() >> 20,
                r.peakRssBytes() >> 20), verdict(peak > 0 && peak < RSS_TARGET_BYTES, "< 400 MB"));
        row(out, "server launch to first /health 200 (under load of this bench)", f("%.0f ms", r.coldStartMillis()),
                "");
        out.append(byThread(r));
        return out.toString();
    }

    /**
     * Where the CPU goes, by group of threads: the server's per job in the timed run beside the bare pipeline's per
     * image (the mean of its two runs); empty without /proc.
     */
    static String byThread(LoadBench.Report r) {
        if (r.serverByThread().isEmpty()) {
            return "";
        }
        Map<String, Double> bare = r.bare().map(BareRun::byThread).orElse(Map.of());
        StringBuilder out = new StringBuilder("\n| CPU ms by thread group | server, per job | bare pipeline, per image |"
                + "\n|---|---|---|\n");
        double serverSum = 0;
        double bareSum = 0;
        for (String group : ThreadCpu.GROUPS) {
            double server = r.serverByThread().getOrDefault(group, 0.0);
            Double alone = bare.get(group);
            serverSum += server;
            bareSum += alone == null ? 0 : alone;
            row(out, group, f("%.1f", server), alone == null ? "" : f("%.1f", alone));
        }
        row(out, "all", f("%.1f", serverSum), bare.isEmpty() ? "" : f("%.1f", bareSum));
        double gcShare = r.serverByThread().getOrDefault("GC", 0.0) / serverSum;
        row(out, "GC's share of the server's CPU (target < 2 %)", f("%.1f %%", gcShare * 100),
                gcShare < GC_SHARE_TARGET ? "met" : "NOT met");
        if (!bare.isEmpty()) {
            double ratio = bareSum / serverSum;
            row(out, "bare / server (target ≥ 85 %)", f("%.1f %%", ratio * 100), ratio >= CPU_RATIO_TARGET ? "met"
                    : "NOT met");
        }
        return out.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String verdict(boolean met, String target) {
        return target + (met ? " — met" : " — NOT met");
    }

    private static void row(StringBuilder out, String measure, String value, String target) {
        out.append("| ").append(measure).append(" | ").append(value).append(" | ").append(target).append(" |\n");
    }
}
