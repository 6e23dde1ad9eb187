package io.thumbnail.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link LoadBench}'s yardstick: the bare pipeline's images/s and CPU milliseconds per image (all of its JVM's
 * threads), and the latter by group of threads ({@link ThreadCpu#GROUPS}; empty without /proc), from one run of
 * {@link BarePipeline} in a child JVM.
 */
record BareRun(double imagesPerSecond, double cpuMillisEach, Map<String, Double> byThread) {
    static final int MAX_WARMUP_SECONDS = 20;

    /** The mean of the runs before and after the server's: this machine's speed drifts by minutes. */
    static BareRun mean(BareRun before, BareRun after) {
        Map<String, Double> byThread = new LinkedHashMap<>();
        before.byThread().forEach((group, ms) -> byThread.put(group,
                (ms + after.byThread().getOrDefault(group, ms)) / 2));
        return new BareRun((before.imagesPerSecond() + after.imagesPerSecond()) / 2,
                (before.cpuMillisEach() + after.cpuMillisEach()) / 2, byThread);
    }

    /**
     * Runs {@link BarePipeline} in a child JVM with the server's heap and worker count, and prints its output. Its
     * warm-up is at most {@value #MAX_WARMUP_SECONDS} s: a pipeline alone has far less code to compile than a
     * server, and its JIT has settled by then. Empty when the child printed no figures.
     */
    static Optional<BareRun> measure(LoadOptions o, List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ServerProcess.javaBinary(), "-Xmx" + o.xmx(), "-cp",
                System.getProperty("java.class.path"), BarePipeline.class.getName(), "--threads",
                String.valueOf(o.workers()), "--seconds", String.valueOf(o.seconds()), "--warmup",
                String.valueOf(Math.min(o.warmupSeconds(), MAX_WARMUP_SECONDS)), "--size",
                String.valueOf(o.size())));
        files.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(o.seconds() + o.warmupSeconds() + 300L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Matcher result = Pattern.compile("images/s=([0-9.]+) cpu-ms/image=([0-9.]+)").matcher(output);
        System.out.print(output.lines().filter(l -> !l.startsWith("images/s=")).map(l -> l + "\n")
                .reduce("", String::concat));
        Map<String, Double> byThread = output.lines().filter(l -> l.startsWith(BarePipeline.BY_THREAD))
                .map(l -> ThreadCpu.parse(l.substring(BarePipeline.BY_THREAD.length()))).findFirst().orElse(Map.of());
        return result.find() ? Optional.of(new BareRun(Double.parseDouble(result.group(1)),
                Double.parseDouble(result.group(2)), byThread)) : Optional.empty();
    }
}
